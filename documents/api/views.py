from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import selectors
from documents.api.serializers import (
    DocumentListSerializer,
    DocumentSerializer,
    DocumentUploadSerializer,
    ErrorSerializer,
    FieldPatchSerializer,
    FieldSerializer,
    RejectSerializer,
)
from documents.intake import IntakeError
from documents.models import Document, Field
from documents.permissions import IsSupervisor
from documents.services import document_retry, document_upload
from documents.services.review import FieldConflict, ReviewError, field_correct, review_approve, review_reject
from documents.uploads import submitted_name


class DocumentListCreate(generics.ListAPIView):
    serializer_class = DocumentListSerializer
    parser_classes = [MultiPartParser, FormParser]

    def get_queryset(self):
        params = self.request.query_params
        return selectors.document_list(
            status=params.get("status"), search=params.get("q"), template=params.get("template")
        )

    @extend_schema(
        parameters=[
            OpenApiParameter("status", str, description="Only documents in this status."),
            OpenApiParameter("template", int, description="Only documents with a page matched to this template id."),
            OpenApiParameter("q", str, description="Search in file names."),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, 400: ErrorSerializer},
    )
    def post(self, request):
        file = request.FILES.get("file")
        if file is None:
            return Response({"code": "no_file", "message": "Send the document in the 'file' part."}, status=400)
        try:
            result = document_upload(
                file=file,
                name=submitted_name(file),
                uploaded_by=request.user,
                mode=request.data.get("mode"),
                template_ids=request.data.get("template_ids"),
                langs=request.data.get("lang"),
            )
        except IntakeError as error:
            return Response({"code": error.code, "message": error.message}, status=status.HTTP_400_BAD_REQUEST)
        document = selectors.document_with_results().get(pk=result.document.pk)
        return Response(DocumentSerializer(document, context={"request": request}).data, status=201)


class DocumentDetail(generics.RetrieveAPIView):
    serializer_class = DocumentSerializer

    def get_queryset(self):
        return selectors.document_with_results()


class DocumentRetry(APIView):
    """Send a failed (or quota-held) document through processing again; supervisors only."""

    permission_classes = [IsSupervisor]

    @extend_schema(request=None, responses={202: DocumentSerializer, 409: ErrorSerializer})
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        if not document_retry(document=document):
            return Response(
                {"code": "not_retryable", "message": "Only a failed or held document can be retried."}, status=409
            )
        document = selectors.document_with_results().get(pk=pk)
        return Response(DocumentSerializer(document, context={"request": request}).data, status=202)


class FieldUpdate(APIView):
    """Correct one field. Send the `version` you read; a stale one gets 409 with the field as it is now."""

    @extend_schema(
        request=FieldPatchSerializer, responses={200: FieldSerializer, 400: ErrorSerializer, 409: ErrorSerializer}
    )
    def patch(self, request, pk: int):
        serializer = FieldPatchSerializer(data=request.data)
        if not serializer.is_valid():
            return Response({"code": "invalid", "message": _first_error(serializer.errors)}, status=400)
        data = serializer.validated_data
        if not Field.objects.filter(pk=pk).exists():
            raise Http404
        try:
            field = field_correct(
                field_id=pk,
                user=request.user,
                version=data["version"],
                value=data.get("value"),
                checked=data.get("checked"),
            )
        except FieldConflict as conflict:
            return Response(
                {"code": conflict.code, "message": conflict.message, "field": FieldSerializer(conflict.field).data},
                status=409,
            )
        except ReviewError as error:
            return Response({"code": error.code, "message": error.message}, status=400)
        return Response(FieldSerializer(field).data)


class DocumentApprove(APIView):
    @extend_schema(request=None, responses={200: DocumentListSerializer, 409: ErrorSerializer})
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        try:
            document = review_approve(document=document, user=request.user)
        except ReviewError as error:
            return Response({"code": error.code, "message": error.message}, status=409)
        return Response(DocumentListSerializer(document).data)


class DocumentReject(APIView):
    @extend_schema(
        request=RejectSerializer, responses={200: DocumentListSerializer, 400: ErrorSerializer, 409: ErrorSerializer}
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        try:
            document = review_reject(document=document, user=request.user, reason=str(request.data.get("reason", "")))
        except ReviewError as error:
            return Response(
                {"code": error.code, "message": error.message}, status=400 if error.code == "reason_required" else 409
            )
        return Response(DocumentListSerializer(document).data)


def _first_error(errors: dict) -> str:
    field, messages = next(iter(errors.items()))
    return f"{field}: {messages[0]}"
