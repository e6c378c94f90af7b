"""Corrections and review outcomes through the API; the rules live in documents/services/review.py."""

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import params
from documents.api.serializers import (
    ApproveSerializer,
    DocumentListSerializer,
    ErrorSerializer,
    FieldPatchSerializer,
    FieldSerializer,
    ReasonSerializer,
    ReviewErrorSerializer,
    TableCellSerializer,
    VersionSerializer,
)
from documents.models import Document, Field, TableCell
from documents.params import parse_bool, request_body
from documents.services.claims import ClaimedByOther, review_claim, review_release
from documents.services.review import (
    FieldConflict,
    ReviewError,
    RulesFailing,
    UnconfirmedFields,
    field_confirm,
    field_correct,
    field_revert,
    review_approve,
    review_reject,
    review_send_back,
)
from documents.services.table_cells import TableCellConflict, table_cell_correct

# Refusals that mean "the state changed under you" are conflicts; the rest are bad requests.
CONFLICT_CODES = {"version_conflict", "not_reviewable", "claimed", "rules_failing", "unconfirmed_fields"}


def review_error_response(error: ReviewError) -> Response:
    body: dict[str, Any] = error.as_dict()
    if isinstance(error, FieldConflict):
        body["field"] = FieldSerializer(error.field).data
    if isinstance(error, RulesFailing):
        body["failures"] = [failure.as_dict() for failure in error.failures]
    if isinstance(error, UnconfirmedFields):
        body["unconfirmed"] = error.labels
    return Response(body, status=409 if error.code in CONFLICT_CODES else 400)


def _invalid(serializer) -> Response:
    where, message = first_error(serializer.errors)
    return Response({"code": "invalid", "message": f"{where}: {message}" if where else message}, status=400)


def first_error(errors, path: tuple[str, ...] = ()) -> tuple[str, str]:
    """The first of a serializer's errors, however nested (a list of cells, each a dict of fields), with where
    it is: `cells.0.id`."""
    if isinstance(errors, dict):
        for key, value in errors.items():
            if value:
                return first_error(value, path if key == "non_field_errors" else (*path, str(key)))
    if isinstance(errors, list):
        for index, value in enumerate(errors):
            if isinstance(value, dict | list):
                if value:
                    return first_error(value, (*path, str(index)))
            else:
                return ".".join(path), str(value)
    return ".".join(path), str(errors)


class FieldUpdate(APIView):
    """Correct one field. Send the `version` you read; a stale one gets 409 with the field as it is now."""

    @extend_schema(
        request=FieldPatchSerializer,
        responses={200: FieldSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ReviewErrorSerializer},
    )
    def patch(self, request, pk: int):
        serializer = FieldPatchSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer)
        data = serializer.validated_data
        if not Field.objects.filter(pk=pk).exists():
            raise Http404
        cells = {cell["id"]: cell["value"] for cell in data.get("cells") or []}
        try:
            field = field_correct(
                field_id=pk,
                user=request.user,
                version=data["version"],
                value=data.get("value"),
                checked=data.get("checked"),
                cells=cells or None,
            )
        except ReviewError as error:
            return review_error_response(error)
        return Response(FieldSerializer(field).data)


class FieldRevert(APIView):
    """Put the OCR value back (text, checkbox state and every cell)."""

    @extend_schema(request=VersionSerializer, responses={200: FieldSerializer, 409: ReviewErrorSerializer})
    def post(self, request, pk: int):
        serializer = VersionSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer)
        if not Field.objects.filter(pk=pk).exists():
            raise Http404
        try:
            field = field_revert(field_id=pk, user=request.user, version=serializer.validated_data["version"])
        except ReviewError as error:
            return review_error_response(error)
        return Response(FieldSerializer(field).data)


class FieldConfirm(APIView):
    """Confirm a field's value as it stands (a low-confidence value checked and found right)."""

    @extend_schema(request=VersionSerializer, responses={200: FieldSerializer, 409: ReviewErrorSerializer})
    def post(self, request, pk: int):
        serializer = VersionSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer)
        if not Field.objects.filter(pk=pk).exists():
            raise Http404
        try:
            field = field_confirm(field_id=pk, user=request.user, version=serializer.validated_data["version"])
        except ReviewError as error:
            return review_error_response(error)
        return Response(FieldSerializer(field).data)


class DocumentApprove(APIView):
    """Approve. When fields break a review rule, 409 lists them; send `override_reason` to approve anyway."""

    @extend_schema(request=ApproveSerializer, responses={200: DocumentListSerializer, 409: ReviewErrorSerializer})
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        reason = params.text(request_body(request), "override_reason")
        try:
            document = review_approve(document=document, user=request.user, override_reason=reason)
        except ReviewError as error:
            return review_error_response(error)
        return Response(DocumentListSerializer(document).data)


class DocumentReject(APIView):
    @extend_schema(
        request=ReasonSerializer, responses={200: DocumentListSerializer, 400: ErrorSerializer, 409: ErrorSerializer}
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        try:
            document = review_reject(
                document=document, user=request.user, reason=params.text(request_body(request), "reason")
            )
        except ReviewError as error:
            return review_error_response(error)
        return Response(DocumentListSerializer(document).data)


class DocumentSendBack(APIView):
    """Back to the queue for another review, with a reason; supervisors may also reopen finished documents."""

    @extend_schema(
        request=ReasonSerializer, responses={200: DocumentListSerializer, 400: ErrorSerializer, 409: ErrorSerializer}
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        try:
            document = review_send_back(
                document=document,
                user=request.user,
                reason=params.text(request_body(request), "reason"),
            )
        except ReviewError as error:
            return review_error_response(error)
        return Response(DocumentListSerializer(document).data)


class DocumentClaim(APIView):
    """Claim a document for review (`take_over` to take it from someone else), or DELETE to release it."""

    @extend_schema(request=None, responses={200: DocumentListSerializer, 409: ErrorSerializer})
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        take_over = parse_bool(request_body(request).get("take_over"), name="take_over")
        try:
            document = review_claim(document=document, user=request.user, take_over=take_over)
        except ClaimedByOther as claimed:
            return Response(claimed.as_dict(), status=409)
        return Response(DocumentListSerializer(document).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        review_release(document=get_object_or_404(Document, pk=pk), user=request.user)
        return Response(status=204)


class TableCellPatchSerializer(serializers.Serializer):
    text = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=10_000)
    version = serializers.IntegerField(min_value=1, max_value=params.MAX_ID)


class TableCellUpdate(APIView):
    """Correct one table cell's text. Send the `version` you read; a stale one gets 409 with the cell as it is now."""

    @extend_schema(
        request=TableCellPatchSerializer,
        responses={200: TableCellSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def patch(self, request, pk: int):
        serializer = TableCellPatchSerializer(data=request.data)
        if not serializer.is_valid():
            return _invalid(serializer)
        if not TableCell.objects.filter(pk=pk).exists():
            raise Http404
        data = serializer.validated_data
        try:
            cell = table_cell_correct(cell_id=pk, user=request.user, version=data["version"], text=data["text"])
        except TableCellConflict as conflict:
            return Response(
                {"code": conflict.code, "message": conflict.message, "cell": TableCellSerializer(conflict.cell).data},
                status=409,
            )
        except ReviewError as error:
            return review_error_response(error)
        return Response(TableCellSerializer(cell).data)
