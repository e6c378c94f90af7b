"""The template builder's pages and the JSON calls its script makes; the work is in template_builder."""

import base64
import io
import json
import zipfile

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents import engine_templates
from documents.models import Document, Page, Template, TemplateField, TemplateVersion
from documents.params import whole_number
from documents.permissions import supervisor_required
from documents.services.template_builder import (
    BuilderError,
    template_try,
    template_undeploy,
    template_version_deploy,
    template_version_save,
)
from documents.services.template_rules import (
    RULE_KEYS,
    RulesError,
    rules_with_order,
    template_confirmation_set,
    template_rule_rows,
    template_rules_save,
)


@require_GET
@supervisor_required
def template_list(request):
    templates = Template.objects.prefetch_related("versions").order_by("id")
    documents = Document.objects.filter(pages__isnull=False).distinct().order_by("-uploaded_at")[:50]
    return render(request, "documents/templates_list.html", {"templates": templates, "documents": documents})


def _version_data(version: TemplateVersion | None) -> dict | None:
    if version is None:
        return None
    rules = {
        rule.name: {key: getattr(rule, key) for key in RULE_KEYS if key != "position"}
        for rule in TemplateField.objects.filter(template_id=version.template_id)
    }
    return {
        "id": version.template_id,
        "name": version.name,
        "lang": version.lang,
        "number": version.number,
        "deployed": version.deployed,
        "definition": version.definition,
        "rules": rules,
        "image": reverse("documents:template-image", args=[version.template_id, version.number]),
        "width": version.width,
        "height": version.height,
    }


@require_GET
@supervisor_required
def builder(request, template_id: int | None = None):
    version = None
    if template_id is not None:
        version = TemplateVersion.objects.filter(template_id=template_id).order_by("-number").first()
        if version is None:
            raise Http404(_("This template has no version drawn here."))
    start = None
    if version is None and request.GET.get("document"):
        document_id, number = whole_number(request.GET["document"]), whole_number(request.GET.get("page", "1"))
        page = get_object_or_404(Page, document_id=document_id or 0, index=max(0, (number or 1) - 1))
        start = {"image": reverse("documents:page-image", args=[page.document_id, page.index]),
                 "width": page.width, "height": page.height}  # fmt: skip
    tryable = Document.objects.filter(pages__isnull=False).distinct().order_by("-uploaded_at")[:50]
    return render(
        request,
        "documents/builder.html",
        {
            "builder_data": {
                "version": _version_data(version),
                "start": start,
                "urls": {
                    "save": reverse("documents:template-save"),
                    "try": reverse("documents:template-try"),
                    "builder": reverse("documents:template-builder", args=[0]).replace("/0/", "/{id}/"),
                },
            },
            "version": version,
            "versions": TemplateVersion.objects.filter(template_id=template_id).order_by("-number")[:20]
            if template_id
            else [],
            "documents": [
                {"id": document.pk, "name": document.display_name, "pages": document.page_count} for document in tryable
            ],
            "script_messages": {
                "saved": _("Saved as version %(number)s."),
                "unsaved": _("Unsaved changes"),
                "trying": _("Reading the page with this draft…"),
                "tried": _("The engine read %(count)s field(s)."),
                "failed": _("Not saved."),
                "noImage": _("Choose the reference image first."),
            },
        },
    )


def _json_body(request) -> dict:
    # Multipart: the state as a JSON `payload` field, the reference image as a file (too big for a form field).
    try:
        body = json.loads(request.POST.get("payload", ""))
    except (ValueError, RecursionError):
        raise BuilderError(_("The request is not JSON.")) from None
    if not isinstance(body, dict):
        raise BuilderError(_("The request is not JSON."))
    upload = request.FILES.get("image")
    body["image"] = upload.read(30 * 1024 * 1024) if upload else b""
    return body


def _image(body: dict) -> bytes:
    if not body.get("image"):
        raise BuilderError(_("Choose the reference image first."))
    return body["image"]


def _template_id(body: dict) -> int:
    number = whole_number(body.get("id"))  # true, 3.9 and "3_9" are not ids
    if not number:
        raise BuilderError(_("The template id is a positive whole number."))
    return number


def _text(body: dict, key: str, default: str = "") -> str:
    value = body.get(key, default)
    if not isinstance(value, str):
        raise BuilderError(_("%(key)s must be text.") % {"key": key.capitalize()})
    return value


def _definition(body: dict) -> dict:
    definition = body.get("definition") or {}
    if not isinstance(definition, dict):
        raise BuilderError(_("The template's definition must be an object."))
    return definition


@require_POST
@supervisor_required
def save(request):
    try:
        body = _json_body(request)
        version = template_version_save(
            template_id=_template_id(body), name=_text(body, "name"), lang=_text(body, "lang", "ko"),
            data=_definition(body), image=_image(body), rules=body.get("rules") or {}, user=request.user,
        )  # fmt: skip
    except BuilderError as error:
        return JsonResponse(error.as_dict(), status=400)
    return JsonResponse({"version": _version_data(version)}, status=201)


@require_POST
@supervisor_required
def try_draft(request):
    try:
        body = _json_body(request)
        document_id, index = whole_number(body.get("document")), whole_number(body.get("page") or 0)
        page = None
        if document_id and index is not None:
            page = Page.objects.filter(document_id=document_id, index=index).first()
        if page is None:
            raise BuilderError(_("Choose an uploaded document to try the template on."))
        result = template_try(
            template_id=_template_id(body), name=_text(body, "name"), lang=_text(body, "lang", "ko"),
            data=_definition(body), image=_image(body), page=page,
        )  # fmt: skip
    except (BuilderError, engine_templates.EngineTemplateError) as error:
        return JsonResponse(error.as_dict(), status=400)
    return JsonResponse(
        {
            "image": result,
            "page": {
                "url": reverse("documents:page-image", args=[page.document_id, page.index]),
                "width": page.width,
                "height": page.height,
            },
        }
    )


@require_POST
@supervisor_required
def deploy(request, template_id: int, number: int):
    version = get_object_or_404(TemplateVersion, template_id=template_id, number=number)
    try:
        template_version_deploy(version=version)
    except engine_templates.EngineTemplateError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Version %(number)d is deployed to the built-in engine.") % {"number": number})
    return redirect("documents:template-builder", template_id)


@require_POST
@supervisor_required
def undeploy(request, template_id: int):
    template = get_object_or_404(Template, pk=template_id)
    try:
        template_undeploy(template=template)
    except engine_templates.EngineTemplateError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The template is no longer deployed; OCR will not match pages to it."))
    return redirect("documents:template-builder", template_id)


@require_GET
@supervisor_required
def version_image(request, template_id: int, number: int):
    version = get_object_or_404(TemplateVersion, template_id=template_id, number=number)
    response = FileResponse(version.image.open("rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@require_GET
@supervisor_required
def export(request, template_id: int):
    """The template file and its image (docs/template-format.md), zipped; `?version=N` for an older one."""
    versions = TemplateVersion.objects.filter(template_id=template_id).order_by("-number")
    wanted = request.GET.get("version")
    version = versions.filter(number=whole_number(wanted) or 0).first() if wanted else versions.first()
    if version is None:
        raise Http404(_("This template has no version drawn here."))
    document = engine_templates.template_file(version)
    image = base64.b64decode(document.pop("imageData"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"template-{template_id}.json", json.dumps(document, ensure_ascii=False, indent=2) + "\n")
        archive.writestr(document["image"], image)
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="template-{template_id}-v{version.number}.zip"'
    return response


@require_POST
@supervisor_required
def import_file(request):
    """A template file with its image (two files, or the zip export makes) becomes a new, undeployed version."""
    try:
        data, image = _uploaded_template(request.FILES.getlist("files"))
        version = template_version_save(
            template_id=_template_id(data), name=_text(data, "name"), lang=_text(data, "lang", "ko"),
            data=data, image=image, user=request.user,
        )  # fmt: skip
    except BuilderError as error:
        messages.error(request, error.message)
        return redirect("documents:templates")
    messages.success(request, _("Imported as version %(number)d (not deployed yet).") % {"number": version.number})
    return redirect("documents:template-builder", version.template_id)


def _uploaded_template(files) -> tuple[dict, bytes]:
    contents: dict[str, bytes] = {}
    for upload in files[:3]:
        raw = upload.read(30 * 1024 * 1024)
        if zipfile.is_zipfile(io.BytesIO(raw)):
            try:
                with zipfile.ZipFile(io.BytesIO(raw)) as archive:
                    for info in archive.infolist()[:5]:
                        if info.file_size < 30 * 1024 * 1024:
                            contents[info.filename.rsplit("/", 1)[-1]] = archive.read(info)
            except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as exc:
                raise BuilderError(_("The zip file cannot be read.")) from exc
        else:
            contents[upload.name] = raw
    raw_json = next((raw for name, raw in contents.items() if name.endswith(".json")), None)
    try:
        data = json.loads(raw_json) if raw_json is not None else None
    except (ValueError, RecursionError) as exc:
        raise BuilderError(_("The template's JSON file cannot be read: %(reason)s") % {"reason": exc}) from None
    if not isinstance(data, dict):
        raise BuilderError(_("Choose the template's JSON file and its image (or the zip an export made)."))
    image = contents.get(str(data.get("image", ""))) or next(
        (raw for name, raw in contents.items() if not name.endswith(".json")), None
    )
    if image is None:
        raise BuilderError(_("The template's image is missing: choose it together with the JSON file."))
    return data, image


@require_http_methods(["GET", "POST"])
@supervisor_required
def fields(request, template_id: int):
    """Field order, labels and review rules of any template, CLOVA-hosted ones included (names from answers)."""
    template = get_object_or_404(Template, pk=template_id)
    if request.method == "POST":
        try:
            rules = rules_with_order(template=template, rules=_posted_rules(request.POST), shown=_shown(request.POST))
            template_rules_save(template=template, rules=rules)
            template_confirmation_set(template=template, required="require_confirmation" in request.POST)
        except RulesError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Saved."))
        return redirect("documents:template-fields", template_id)
    rows = template_rule_rows(template)
    return render(request, "documents/template_fields.html", {"template": template, "rows": rows})


def _shown(form) -> dict[str, int]:
    """The order each row had when the page was drawn (`r<N>-shown_position`), to tell a changed order."""
    shown = {}
    for key in form:
        if key.startswith("r") and key.endswith("-name"):
            number = whole_number(form.get(key[: -len("name")] + "shown_position"))
            if number is not None:
                shown[form[key]] = number
    return shown


def _posted_rules(form) -> dict[str, dict]:
    """The fields page's rows (`r<N>-name`, `r<N>-label`, …) as rules by field name. A checkbox sends nothing
    when unticked: for a row that was on the page, that is false."""
    rules: dict[str, dict] = {}
    for key in form:
        if not (key.startswith("r") and key.endswith("-name")):
            continue
        prefix = key[: -len("name")]
        texts = [name for name in RULE_KEYS if name not in ("required", "numeric") and prefix + name in form]
        rules[form[key]] = {  # a text box the form did not send is left as it was (it may not be on the page)
            **{name: form[prefix + name] for name in texts},
            "required": prefix + "required" in form,
            "numeric": prefix + "numeric" in form,
        }
    return rules
