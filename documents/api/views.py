from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
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
)
from documents.filters import API_PARAMETERS, ORDERINGS, DocumentFilters, filters_from
from documents.models import Document
from documents.params import ParameterError
from documents.permissions import IsSupervisor
from documents.services import document_retry
from documents.services.upload import documents_upload

LIST_PARAMETERS = [
    OpenApiParameter("status", str, description="Comma-separated statuses (or repeated); `all` for every one."),
    OpenApiParameter("template", int, description="Only documents with a page matched to this template id."),
    OpenApiParameter("validation", str, description="Only documents with a page of this validationResult."),
    OpenApiParameter("low_confidence", bool, description="With (true) or without (false) a low-confidence field."),
    OpenApiParameter("uploader", str, description="Uploaded by this username."),
    OpenApiParameter(
        "assigned_to", str, description="Assigned to this username; `me` for you, `none` for assigned to nobody."
    ),
    OpenApiParameter("q", str, description="File name contains."),
    OpenApiParameter("uploaded_after", OpenApiTypes.DATE, description="Uploaded on or after this day."),
    OpenApiParameter("uploaded_before", OpenApiTypes.DATE, description="Uploaded on or before this day."),
    OpenApiParameter("ordering", str, enum=list(ORDERINGS), description="Order; default newest first."),
]


class DocumentListCreate(generics.ListAPIView):
    """Documents, newest first; filter and order with the query parameters below (the queue's filters, under
    these names: a value that cannot be read is a 400 with a code). POST uploads one."""

    serializer_class = DocumentListSerializer
    parser_classes = [MultiPartParser, FormParser]
    filters = DocumentFilters()

    @extend_schema(parameters=LIST_PARAMETERS, responses={200: DocumentListSerializer(many=True), 400: ErrorSerializer})
    def get(self, request, *args, **kwargs):
        try:
            self.filters = filters_from(request.query_params, API_PARAMETERS, me=request.user)
        except ParameterError as error:
            return Response(error.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return selectors.document_queue(self.filters)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: DocumentSerializer, 400: ErrorSerializer},
    )
    def post(self, request):
        data = request.data if hasattr(request.data, "getlist") else QueryDict()  # no body: DRF gives a dict
        files = request.FILES.getlist("file")
        if len(files) > 1:
            raise ParameterError("too_many_files", _("Send one file per call (this call has %(count)d).") % {
                "count": len(files)
            })  # fmt: skip
        report = documents_upload(
            files=files,
            uploaded_by=request.user,
            mode=data.getlist("mode"),
            template_ids=data.getlist("template_ids"),
            langs=data.getlist("lang"),
        )
        [item] = report.files
        if item.document is None:
            assert item.error is not None  # a file that was not kept says why
            if item.error.code == "storage_unavailable":
                return Response(item.error.as_dict(), status=503, headers={"Retry-After": "60"})
            return Response(item.error.as_dict(), status=status.HTTP_400_BAD_REQUEST)
        document = selectors.document_with_results().get(pk=item.document.pk)
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
