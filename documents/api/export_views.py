"""Exports and templates through the API. Exports are the back office's: supervisors only."""

from django.http import JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, renderers, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.api.serializers import ErrorSerializer
from documents.errors import PortalError
from documents.exports.responses import export_response
from documents.exports.xlsx import MEDIA_TYPE as XLSX_MEDIA_TYPE
from documents.models import ExportBatch, ExportShape, Template, TemplateField
from documents.params import parse_bool, request_body
from documents.permissions import IsSupervisor
from documents.services.export import (
    NOTHING_TO_EXPORT,
    ExportError,
    batch_documents,
    export_batch_create,
    export_documents,
    export_filters,
)

FILTER_PARAMETERS = [
    OpenApiParameter("template", int, description="Only documents with a page matched to this template id."),
    OpenApiParameter("status", str, description="Comma-separated statuses; default approved; `all` for every one."),
    OpenApiParameter("from", OpenApiTypes.DATE, description="Reviewed (else uploaded) on or after this day."),
    OpenApiParameter("to", OpenApiTypes.DATE, description="Reviewed (else uploaded) on or before this day."),
    OpenApiParameter("validation", str, description="Only documents with a page of this validationResult."),
    OpenApiParameter("new", bool, description="Only documents never exported before."),
]


class CSVRenderer(renderers.BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class XLSXRenderer(renderers.BaseRenderer):
    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def _refused(error: PortalError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=400)


SHAPE_PARAMETER = OpenApiParameter(
    "shape", str, enum=["wide", "long"], description="wide (one row per page, default) or long (one per field)."
)


class ExportCSV(APIView):
    """The selected documents as CSV, streamed; nothing is recorded (POST /api/exports/ records a batch)."""

    permission_classes = [IsSupervisor]
    renderer_classes = [CSVRenderer, renderers.JSONRenderer]

    @extend_schema(
        parameters=[
            *FILTER_PARAMETERS,
            SHAPE_PARAMETER,
            OpenApiParameter("bom", bool, description="Start with a UTF-8 BOM, for Excel."),
        ],
        responses={(200, "text/csv"): OpenApiTypes.STR, 400: ErrorSerializer},
    )
    def get(self, request):
        shape = request.query_params.get("shape", ExportShape.WIDE)
        if shape not in (ExportShape.WIDE, ExportShape.LONG):
            return _refused(ExportError("invalid_shape", "shape is wide or long."))
        try:
            documents = export_documents(export_filters(request.query_params))
            bom = parse_bool(request.query_params.get("bom"), name="bom")
        except PortalError as error:
            return _refused(error)
        return export_response(shape=shape, documents=documents, bom=bom)


class ExportXLSX(APIView):
    """The selected documents as an Excel workbook, every cell text (ids and numbers exactly as read); nothing
    is recorded (POST /api/exports/ with shape xlsx_wide or xlsx_long records a batch)."""

    permission_classes = [IsSupervisor]
    renderer_classes = [XLSXRenderer, renderers.JSONRenderer]

    @extend_schema(
        parameters=[*FILTER_PARAMETERS, SHAPE_PARAMETER],
        responses={(200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY, 400: ErrorSerializer},
    )
    def get(self, request):
        shape = request.query_params.get("shape", ExportShape.WIDE)
        xlsx = {ExportShape.WIDE: ExportShape.XLSX_WIDE, ExportShape.LONG: ExportShape.XLSX_LONG}.get(shape)
        if xlsx is None:
            return _refused(ExportError("invalid_shape", "shape is wide or long."))
        try:
            documents = export_documents(export_filters(request.query_params))
        except PortalError as error:
            return _refused(error)
        return export_response(shape=xlsx, documents=documents)


class ExportJSON(APIView):
    """The selected documents, CLOVA-shaped with corrections applied and the audit trail, streamed."""

    permission_classes = [IsSupervisor]

    @extend_schema(parameters=FILTER_PARAMETERS, responses={200: OpenApiTypes.OBJECT, 400: ErrorSerializer})
    def get(self, request):
        try:
            documents = export_documents(export_filters(request.query_params))
        except PortalError as error:
            return _refused(error)
        return export_response(shape=ExportShape.JSON, documents=documents)


class ExportBatchSerializer(serializers.ModelSerializer):
    created_by = serializers.CharField(source="created_by.username", default=None)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = ExportBatch
        fields = ["id", "uuid", "shape", "filters", "document_count", "created_by", "created_at", "download_url"]

    def get_download_url(self, batch: ExportBatch) -> str:
        path = reverse("api:export-download", args=[batch.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class ExportBatchRequestSerializer(serializers.Serializer):
    shape = serializers.ChoiceField(choices=ExportShape.choices, default=ExportShape.WIDE)
    template = serializers.IntegerField(required=False)
    status = serializers.CharField(required=False, help_text="Comma-separated; default approved.")
    vars()["from"] = serializers.DateField(required=False)  # a Python keyword, so not a plain attribute
    to = serializers.DateField(required=False)
    validation = serializers.CharField(required=False)
    new = serializers.BooleanField(required=False, help_text="Only documents never exported before.")


class ExportBatchListCreate(generics.ListAPIView):
    """Past exports, newest first; POST records a new one (its documents are fixed and marked exported).

    When no document matches, nothing is recorded: 422 with code `nothing_to_export`."""

    permission_classes = [IsSupervisor]
    serializer_class = ExportBatchSerializer
    queryset = ExportBatch.objects.select_related("created_by").order_by("-created_at", "-id")

    @extend_schema(
        request=ExportBatchRequestSerializer,
        responses={201: ExportBatchSerializer, 400: ErrorSerializer, 422: ErrorSerializer},
    )
    def post(self, request):
        try:
            body = request_body(request)
            filters = export_filters(body)
            batch = export_batch_create(user=request.user, filters=filters, shape=body.get("shape", ExportShape.WIDE))
        except PortalError as error:
            # A well-formed request that selects nothing: the client learns it, and no empty batch is kept.
            return Response(error.as_dict(), status=422 if error.code == NOTHING_TO_EXPORT else 400)
        return Response(ExportBatchSerializer(batch, context={"request": request}).data, status=201)


class ExportBatchDetail(generics.RetrieveAPIView):
    permission_classes = [IsSupervisor]
    serializer_class = ExportBatchSerializer
    queryset = ExportBatch.objects.select_related("created_by")


class ExportBatchDownload(APIView):
    """A past export again: the same documents, as they read now."""

    permission_classes = [IsSupervisor]
    renderer_classes = [CSVRenderer, renderers.JSONRenderer, XLSXRenderer]

    @extend_schema(
        parameters=[OpenApiParameter("bom", bool, description="CSV: start with a UTF-8 BOM, for Excel.")],
        responses={
            (200, "text/csv"): OpenApiTypes.STR,
            (200, "application/json"): OpenApiTypes.OBJECT,
            (200, XLSX_MEDIA_TYPE): OpenApiTypes.BINARY,
        },
    )
    def get(self, request, pk: int):
        batch = get_object_or_404(ExportBatch, pk=pk)
        try:
            bom = parse_bool(request.query_params.get("bom"), name="bom")
        except PortalError as error:
            return _refused(error)
        return export_response(
            shape=batch.shape,
            documents=batch_documents(batch),
            bom=bom,
            name=f"export-{batch.pk}",
        )


class TemplateFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = TemplateField
        fields = [
            "name", "label", "position", "required", "pattern", "numeric", "min_length", "max_length",
            "allowed", "checked_text", "message",
        ]  # fmt: skip

    allowed = serializers.ListField(child=serializers.CharField(), read_only=True)


class TemplateSerializer(serializers.ModelSerializer):
    # The metaclass takes declared fields out of the class, so this does not hide Serializer.fields.
    fields = TemplateFieldSerializer(source="field_rules", many=True, read_only=True)  # type: ignore[assignment]

    class Meta:
        model = Template
        fields = ["id", "name", "first_seen_at", "updated_at", "fields"]


class TemplateList(generics.ListAPIView):
    """The templates OCR has answered with, and the portal's field order, labels and review rules."""

    serializer_class = TemplateSerializer
    queryset = Template.objects.prefetch_related("field_rules").order_by("id")


class TemplateDetail(generics.RetrieveAPIView):
    serializer_class = TemplateSerializer
    queryset = Template.objects.prefetch_related("field_rules")
