from django.urls import reverse
from rest_framework import serializers

from documents.models import Document, OcrLanguage, OcrMode, Page


class PageSerializer(serializers.ModelSerializer):
    image_url = serializers.SerializerMethodField()
    thumbnail_url = serializers.SerializerMethodField()

    class Meta:
        model = Page
        fields = ["index", "width", "height", "dpi", "image_url", "thumbnail_url"]

    def _url(self, page: Page, name: str) -> str:
        path = reverse(name, args=[page.document_id, page.index])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_image_url(self, page: Page) -> str:
        return self._url(page, "documents:page-image")

    def get_thumbnail_url(self, page: Page) -> str:
        return self._url(page, "documents:page-thumbnail")


class DocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="display_name")
    format = serializers.CharField(source="file_format")
    lang = serializers.ListField(source="languages", child=serializers.CharField())
    error = serializers.SerializerMethodField()
    uploaded_by = serializers.CharField(source="uploaded_by.username", default=None)
    duplicate_of = serializers.PrimaryKeyRelatedField(read_only=True)
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
            "uploaded_by",
            "uploaded_at",
            "pages",
        ]

    def get_error(self, document: Document) -> str | None:
        return document.error or None


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
