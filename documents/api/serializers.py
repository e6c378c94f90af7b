from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from documents import file_hazards
from documents.models import Document, Field, OcrLanguage, OcrMode, Page, SubField, Table, TableCell
from documents.params import MAX_ID, ParameterError, parse_bool
from documents.services.claims import claim_holder

# Versions and ids live in database integers: a larger number is a bad request, never a server error.


class SubFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = SubField
        fields = ["id", "value", "ocr_value", "confidence", "poly", "line_break"]


class FieldSerializer(serializers.ModelSerializer):
    type = serializers.CharField(source="field_type")
    subfields = SubFieldSerializer(many=True, read_only=True)

    class Meta:
        model = Field
        fields = [
            "id",
            "name",
            "type",
            "value_type",
            "value",
            "ocr_value",
            "confidence",
            "checked",
            "ocr_checked",
            "line_break",
            "poly",
            "subfields",
            "version",
            "confirmed",
        ]


class TableCellSerializer(serializers.ModelSerializer):
    class Meta:
        model = TableCell
        fields = ["id", "row", "column", "row_span", "column_span", "text", "ocr_text", "confidence", "poly", "version"]


class TableSerializer(serializers.ModelSerializer):
    cells = TableCellSerializer(many=True, read_only=True)

    class Meta:
        model = Table
        fields = ["confidence", "poly", "cells"]


class PageSerializer(serializers.ModelSerializer):
    image_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()
    matched_template = serializers.SerializerMethodField()
    validation_result = serializers.SerializerMethodField()
    combine_result = serializers.SerializerMethodField()
    title = serializers.SerializerMethodField()
    # The metaclass takes declared fields out of the class, so this does not hide Serializer.fields.
    fields = serializers.SerializerMethodField(method_name="page_fields")  # type: ignore[assignment]
    tables = TableSerializer(many=True, read_only=True)

    class Meta:
        model = Page
        fields = [
            "index",
            "width",
            "height",
            "dpi",
            "rotation",
            "ocr_template_ids",
            "ocr_lang",
            "image_url",
            "thumbnail_url",
            "infer_result",
            "infer_message",
            "matched_template",
            "validation_result",
            "combine_result",
            "title",
            "fields",
            "tables",
        ]

    def get_matched_template(self, page: Page) -> dict | None:
        template = page.matched_template
        return {"id": template.id, "name": template.name} if template else None

    def get_validation_result(self, page: Page) -> dict | None:
        if not page.validation_result:
            return None
        return {"result": page.validation_result, "message": page.validation_message}

    def get_combine_result(self, page: Page) -> dict | None:
        if not (page.combine_name or page.combine_text):
            return None
        return {"name": page.combine_name, "text": page.combine_text}

    def get_title(self, page: Page) -> dict | None:
        title = next((field for field in page.fields.all() if field.is_title), None)
        return FieldSerializer(title).data if title else None

    def page_fields(self, page: Page) -> list[dict]:
        shown = [field for field in page.fields.all() if not field.is_title]
        # many=True makes a ListSerializer (its data a list); the stubs type the call as the FieldSerializer.
        return FieldSerializer(shown, many=True).data  # type: ignore[return-value]

    def _url(self, page: Page, name: str) -> str:
        path = reverse(name, args=[page.document_id, page.index])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_image_url(self, page: Page) -> str:
        return self._url(page, "documents:page-image")

    def get_thumbnail_url(self, page: Page) -> str:
        return self._url(page, "documents:page-thumbnail")


class HazardSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=list(file_hazards.MESSAGES))
    bytes = serializers.IntegerField(required=False, help_text="For trailing_data: how many bytes follow the end.")
    message = serializers.CharField()


class DocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    format = serializers.CharField(source="file_format")
    lang = serializers.ListField(source="languages", child=serializers.CharField())
    error = serializers.SerializerMethodField()
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None)
    duplicate_of: "serializers.PrimaryKeyRelatedField[Document]" = serializers.PrimaryKeyRelatedField(read_only=True)
    reviewed_by = serializers.CharField(source="reviewed_by.username", default=None)
    claimed_by = serializers.SerializerMethodField(help_text="Who is reviewing it now (claims lapse).")
    assigned_to = serializers.CharField(
        source="assigned_to.username", default=None, help_text="The reviewer it is assigned to; Review next serves it "
        "to them first and to nobody else.",
    )  # fmt: skip
    hazards = serializers.SerializerMethodField(
        help_text="What the file carries besides its pages (data after its end, PDF scripts, launch actions, "
        "attached files), found at upload; the original is only served as a download."
    )
    pages = PageSerializer(many=True, read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "name",
            "status",
            "error",
            "format",
            "size",
            "sha256",
            "page_count",
            "mode",
            "template_ids",
            "lang",
            "duplicate_of",
            "hazards",
            "uploaded_by",
            "uploaded_at",
            "reviewed_by",
            "reviewed_at",
            "review_note",
            "claimed_by",
            "assigned_to",
            "pages",
        ]

    def get_error(self, document: Document) -> str | None:
        return document.error or None

    @extend_schema_field(HazardSerializer(many=True))
    def get_hazards(self, document: Document) -> list[dict]:
        return [{**hazard, "message": file_hazards.describe(hazard)} for hazard in document.hazards]

    def get_claimed_by(self, document: Document) -> str | None:
        holder = claim_holder(document)
        return holder.get_username() if holder else None


class DocumentListSerializer(DocumentSerializer):
    class Meta(DocumentSerializer.Meta):
        fields = [name for name in DocumentSerializer.Meta.fields if name != "pages"]


class DocumentUploadSerializer(serializers.Serializer):
    """Describes the upload for the schema; checking is the intake service's work."""

    file = serializers.FileField()
    mode = serializers.ChoiceField(choices=OcrMode.choices, required=False, default=OcrMode.TEMPLATE)
    template_ids = serializers.CharField(required=False, help_text="Comma-separated template ids.")
    lang = serializers.CharField(
        required=False, help_text=f"Comma-separated, among {', '.join(OcrLanguage.values)}; default ko."
    )


class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField()
    message = serializers.CharField()


class CellPatchSerializer(serializers.Serializer):
    id = serializers.IntegerField(min_value=1, max_value=MAX_ID, help_text="The subfield (cell) id.")
    value = serializers.CharField(allow_blank=True, trim_whitespace=False, max_length=10_000)


class BooleanField(serializers.BooleanField):
    """True or false read by `params.parse_bool`, like every other true/false the portal takes (DRF's own
    takes `t` and `y` too)."""

    def to_internal_value(self, data):
        if data == "" and self.allow_null:  # empty, as a form sends an unset value: no change, as DRF read it
            return None
        try:
            return parse_bool(data, name=self.field_name or "value")
        except ParameterError as error:
            raise serializers.ValidationError(error.message, code=error.code) from None


class FieldPatchSerializer(serializers.Serializer):
    value = serializers.CharField(
        required=False,
        allow_blank=True,
        trim_whitespace=False,
        max_length=10_000,
        help_text=(
            "The new text. On a multi-box field without `cells`, it is spread over the boxes, one character a "
            "box from the first, the rest emptied; more characters than boxes is a 400 `too_many_characters`."
        ),
    )
    checked = BooleanField(required=False, allow_null=True, default=None)
    cells = CellPatchSerializer(many=True, required=False, help_text="Multi-box fields: the cells to change.")
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class ApproveSerializer(serializers.Serializer):
    override_reason = serializers.CharField(
        required=False, allow_blank=True, help_text="Needed when fields break a review rule: why approve anyway."
    )


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class RuleFailureSerializer(serializers.Serializer):
    field_id = serializers.IntegerField()
    page = serializers.IntegerField()
    field = serializers.CharField(help_text="The field's name, as OCR names it.")
    label = serializers.CharField(help_text="What reviewers read: the template's label, or the name made readable.")  # type: ignore[assignment]  # a declared field, popped by the metaclass
    messages = serializers.ListField(child=serializers.CharField())


class ReviewErrorSerializer(ErrorSerializer):
    failures = RuleFailureSerializer(many=True, required=False)
    unconfirmed = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="Low-confidence fields neither confirmed nor corrected.",
    )
