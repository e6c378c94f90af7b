from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from documents import admin_people, admin_security  # noqa: F401  (register the user and lockout pages)
from documents.admin_extra import export_selected, rerun_ocr
from documents.models import Document, FieldEdit, OcrCall, Page, ReviewEvent, Template, TemplateField
from documents.services import document_delete
from documents.services.template_rules import RULE_KEYS, RulesError, rules_check


class PageInline(admin.TabularInline):
    model = Page
    fields = readonly_fields = ("index", "width", "height", "dpi", "preview")
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("page"))
    def preview(self, page: Page) -> str:
        return format_html(
            '<a href="{}"><img src="{}" alt="{}" style="max-height:90px"></a>',
            reverse("documents:page-image", args=[page.document_id, page.index]),
            reverse("documents:page-thumbnail", args=[page.document_id, page.index]),
            _("page %(number)d") % {"number": page.number},
        )


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = [
        "id", "display_name", "status", "page_count", "mode", "uploaded_by", "uploaded_at", "assigned_to",
        "reviewed_by", "reviewed_at", "exported_at",
    ]  # fmt: skip
    list_filter = [
        "status", "mode", "file_format", "uploaded_at", "reviewed_at", "exported_at", "uploaded_by", "assigned_to",
    ]  # fmt: skip
    search_fields = ["display_name", "sha256", "=id"]
    date_hierarchy = "uploaded_at"
    list_select_related = ["uploaded_by", "reviewed_by", "assigned_to"]
    actions = [rerun_ocr, export_selected]
    readonly_fields = [
        "uuid",
        "sha256",
        "size",
        "file_format",
        "page_count",
        "mode",
        "template_ids",
        "lang",
        "status",
        "error",
        "duplicate_of",
        "uploaded_by",
        "uploaded_at",
        "reviewed_by",
        "reviewed_at",
        "assigned_to",  # assigned on the review page or a batch's page, where it is recorded
        "review_note",
        "exported_at",
        "updated_at",
    ]
    fields = ["display_name", *readonly_fields]
    inlines = [PageInline]

    def has_add_permission(self, request) -> bool:
        # Documents come in through the upload page or the API, where they are checked.
        return False

    def get_deleted_objects(self, objs, request):
        # A document is deleted whole: its pages, OCR calls and fields go with it, and need no rights of their own.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj: Document) -> None:
        document_delete(document=obj)

    def delete_queryset(self, request, queryset) -> None:
        for document in queryset:
            document_delete(document=document)


class TemplateFieldForm(forms.ModelForm):
    class Meta:
        model = TemplateField
        fields = [
            "position", "name", "label", "required", "numeric", "pattern", "min_length", "max_length",
            "allowed_values", "message",
        ]  # fmt: skip
        # Narrow inputs, so a template's rules fit on one screen as a table.
        widgets = {
            "position": forms.NumberInput(attrs={"class": "vSmallField"}),
            "name": forms.TextInput(attrs={"size": 14}),
            "label": forms.TextInput(attrs={"size": 14}),
            "pattern": forms.TextInput(attrs={"size": 16}),
            "min_length": forms.NumberInput(attrs={"class": "vSmallField"}),
            "max_length": forms.NumberInput(attrs={"class": "vSmallField"}),
            "allowed_values": forms.Textarea(attrs={"rows": 2, "cols": 14}),
            "message": forms.TextInput(attrs={"size": 16}),
        }

    def clean(self):
        data = super().clean()
        assert data is not None  # ModelForm.clean returns cleaned_data
        try:  # the same checks as the builder and the fields page (template_rules)
            rules_check(data.get("name") or "", {key: data.get(key) for key in RULE_KEYS if key in data})
        except RulesError as error:
            for key, problem in error.problems:
                self.add_error(key if key in self.fields else None, problem)
        return data


class TemplateFieldInline(admin.TabularInline):
    """Field order, labels and the review rules checked as reviewers type and when they approve."""

    model = TemplateField
    form = TemplateFieldForm
    extra = 1
    fields = [
        "position", "name", "label", "required", "numeric", "pattern", "min_length", "max_length",
        "allowed_values", "message",
    ]  # fmt: skip


@admin.register(Template)
class TemplateAdmin(admin.ModelAdmin):
    list_display = ["id", "name", "first_seen_at", "updated_at"]
    search_fields = ["name", "=id"]
    readonly_fields = ["first_seen_at", "updated_at"]
    inlines = [TemplateFieldInline]

    def get_readonly_fields(self, request, obj=None):
        # The id is CLOVA's; changing it would detach the template from every answer that named it.
        return ["id", *self.readonly_fields] if obj else self.readonly_fields


class ReadOnlyAdmin(admin.ModelAdmin):
    """The audit trail: visible, never editable, here or anywhere."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(FieldEdit)
class FieldEditAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "action", "field_name", "old_value", "new_value", "document_link"]
    list_filter = ["action", "created_at"]
    search_fields = ["field_name", "old_value", "new_value", "user__username", "document__display_name"]
    list_select_related = ["user", "document"]

    @admin.display(description=_("document"))
    def document_link(self, edit: FieldEdit):
        document = edit.document
        assert document is not None  # every edit is recorded with its document
        return format_html('<a href="{}">#{}</a>', reverse("documents:detail", args=[document.pk]), document.pk)


@admin.register(ReviewEvent)
class ReviewEventAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "user", "action", "document", "note"]
    list_filter = ["action", "created_at"]
    search_fields = ["note", "user__username", "document__display_name"]
    list_select_related = ["user", "document"]


@admin.register(OcrCall)
class OcrCallAdmin(admin.ModelAdmin):
    """Every call to OCR with its raw answer: where a supervisor looks when a document failed."""

    list_display = [
        "id",
        "document",
        "kind",
        "page_indexes",
        "http_status",
        "error_code",
        "attempts",
        "duration_ms",
        "started_at",
    ]
    list_filter = ["kind", "error_code", "http_status", "started_at"]
    search_fields = ["=document__id", "request_id", "error_message"]
    list_select_related = ["document"]
    readonly_fields = [field.name for field in OcrCall._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
