from django.http import QueryDict
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers, status
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
from documents.models import Document, OcrLanguage, OcrMode
from documents.params import ParameterError, request_body, whole_number
from documents.permissions import IsSupervisor
from documents.services import document_retry
from documents.services.reread import RereadError, document_reread, page_remove, page_rotate, read_options
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
        if not document_retry(document=document, user=request.user):
            return Response(
                {"code": "not_retryable", "message": "Only a failed or held document can be retried."}, status=409
            )
        document = selectors.document_with_results().get(pk=pk)
        return Response(DocumentSerializer(document, context={"request": request}).data, status=202)


class RereadSerializer(serializers.Serializer):
    """Every key is optional: what is left out stays as the document (or the page) has it."""

    page = serializers.IntegerField(
        required=False, min_value=0, help_text="Read only this page (its `index`, 0-based); else the whole document."
    )
    template_ids = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False,
        help_text="Templates to read with; [] lets OCR pick. `template_id` (one id) is also read.",
    )  # fmt: skip
    template_id = serializers.IntegerField(required=False, min_value=1)
    lang = serializers.ListField(
        child=serializers.ChoiceField(choices=OcrLanguage.choices), required=False,
        help_text="Languages; [] lets OCR decide. A comma-separated string is also read.",
    )  # fmt: skip
    mode = serializers.ChoiceField(choices=OcrMode.choices, required=False, help_text="The whole document only.")


class RotateSerializer(serializers.Serializer):
    degrees = serializers.ChoiceField(choices=[90, 180, 270], help_text="Clockwise.")


REREAD_STATUS = {"busy": 409, "no_page": 404, "last_page": 409}


def _reread_refused(error: RereadError) -> Response:
    return Response(error.as_dict(), status=REREAD_STATUS.get(error.code, 400))


def _accepted(request, pk: int, status_code: int = 202) -> Response:
    document = selectors.document_with_results().get(pk=pk)
    return Response(DocumentSerializer(document, context={"request": request}).data, status=status_code)


class DocumentReread(APIView):
    """Read the document, or one page, again with OCR, with other templates, languages or mode; supervisors
    only. The new reading replaces the values of the pages read (their corrections stay in the history); a
    decided document comes back to review. Answers 202: the reading is queued, follow `status`."""

    permission_classes = [IsSupervisor]

    @extend_schema(
        request=RereadSerializer,
        responses={202: DocumentSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int):
        document = get_object_or_404(Document, pk=pk)
        body = request_body(request)
        template_ids = body.get("template_ids")
        if template_ids is None and body.get("template_id") is not None:
            template_ids = [body.get("template_id")]
        page = body.get("page")
        page_index = None if page is None else whole_number(page)
        if page is not None and page_index is None:
            raise ParameterError("invalid_page", _("page must be a page's index (0, 1, …)."))
        try:
            options = read_options(mode=body.get("mode"), template_ids=template_ids, langs=body.get("lang"))
            document_reread(document=document, user=request.user, options=options, page_index=page_index)
        except RereadError as error:
            return _reread_refused(error)
        return _accepted(request, pk)


class PageRotate(APIView):
    """Turn a page clockwise and read it again; supervisors only. The turned image is a new file, the
    original file is never changed. Answers 202: the reading is queued."""

    permission_classes = [IsSupervisor]

    @extend_schema(
        request=RotateSerializer,
        responses={202: DocumentSerializer, 400: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer},
    )
    def post(self, request, pk: int, index: int):
        document = get_object_or_404(Document, pk=pk)
        degrees = whole_number(request_body(request).get("degrees"))
        try:
            page_rotate(document=document, user=request.user, page_index=index, degrees=degrees or 0)
        except RereadError as error:
            return _reread_refused(error)
        return _accepted(request, pk)


class PageRemove(APIView):
    """DELETE takes a page out of review and exports (not the last one); supervisors only. The page is kept
    as a record and what it held goes into the history; the original file is never changed."""

    permission_classes = [IsSupervisor]

    @extend_schema(request=None, responses={200: DocumentSerializer, 404: ErrorSerializer, 409: ErrorSerializer})
    def delete(self, request, pk: int, index: int):
        document = get_object_or_404(Document, pk=pk)
        try:
            page_remove(document=document, user=request.user, page_index=index)
        except RereadError as error:
            return _reread_refused(error)
        return _accepted(request, pk, 200)
