"""The template builder in real Chromium: draw a template over the demo form, try it, save, deploy, and see
new uploads read with it; import and export round trip."""

import io
import json
import zipfile

import pytest
from playwright.sync_api import expect

from documents.models import DocumentStatus, Field, TemplateField, TemplateVersion
from documents.services import document_upload
from ocrengine.demo.samples import generate
from ocrengine.models import EngineTemplate
from tests.ocrengine.conftest import DEMO
from tests.test_browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TEMPLATE = json.loads((DEMO / "claim-form.json").read_text())
BOXES = {field["name"]: field["box"] for field in TEMPLATE["fields"]}


def upload(user, sample, **options):
    document = document_upload(file=io.BytesIO(sample.content), name=sample.name, uploaded_by=user, **options).document
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW, document.error
    return document


def draw(page, box, scale, origin) -> None:
    left, top, width, height = box
    page.mouse.move(origin["x"] + left * scale, origin["y"] + top * scale)
    page.mouse.down()
    page.mouse.move(origin["x"] + (left + width) * scale, origin["y"] + (top + height) * scale, steps=6)
    page.mouse.up()


def test_a_supervisor_draws_tries_saves_and_deploys_a_template(page, supervisor, password, engine_domain):
    first, second = generate(2, seed=31, strong=False)
    source = upload(supervisor, first)
    log_in(page, supervisor, password)

    page.goto(f"/templates/builder/?id=950&name=Claim+v2&lang=ko&document={source.pk}&page=1")
    page.locator(".builder.ready").wait_for()
    page.wait_for_function("document.querySelector('.stage img').complete")
    for name, kind in (("name", "NORMAL"), ("id", "MULTI_BOX"), ("fax-checkbox", "CHECKBOX")):
        page.keyboard.press("f")
        page.locator(".scroller").scroll_into_view_if_needed()
        overlay = page.locator("svg.builder-overlay").bounding_box()  # the page may have scrolled meanwhile
        draw(page, BOXES[name], overlay["width"] / 1654, overlay)
        page.locator("[data-prop=name]").fill(name)
        page.locator("[data-prop=type]").select_option(kind)
        page.locator("h1").click()  # leave the property inputs, as a user clicking back onto the page
    expect(page.locator("#field-list li")).to_have_count(3)
    expect(page.locator('svg.builder-overlay g[data-field-id="2"] .cell')).to_have_count(6)
    page.locator("[data-rule=label]").fill("팩스 수신")  # the checkbox is still selected
    page.locator("[data-prop=checkedText]").fill("V")
    # Rules stay with their field: renaming one through another's name takes none of that field's rules.
    page.locator("#field-list li").nth(0).get_by_role("button").click()
    page.locator("[data-rule=label]").fill("성명")
    page.locator("#field-list li").nth(2).get_by_role("button").click()
    page.locator("[data-prop=name]").fill("name")
    page.locator("[data-prop=name]").fill("fax-checkbox")
    expect(page.locator("[data-rule=label]")).to_have_value("팩스 수신")

    # The title, then nudging and resizing the name box.
    page.locator("h1").click()
    page.keyboard.press("t")
    overlay = page.locator("svg.builder-overlay").bounding_box()
    draw(page, TEMPLATE["title"]["box"], overlay["width"] / 1654, overlay)
    expect(page.locator('svg.builder-overlay g[data-field-id="-1"]')).to_have_count(1)
    page.locator("#field-list li").nth(0).get_by_role("button").click()
    page.locator("h1").click()
    for key in ("ArrowRight", "ArrowRight", "Shift+ArrowDown"):
        page.keyboard.press(key)
    handle = page.locator("svg.builder-overlay .handle").bounding_box()
    page.mouse.move(handle["x"] + 2, handle["y"] + 2)
    page.mouse.down()
    page.mouse.move(handle["x"] + 2 + 20 * overlay["width"] / 1654, handle["y"] + 2, steps=4)
    page.mouse.up()

    # Delete a box, undo brings it back, redo deletes it again, undo once more.
    page.locator("#field-list li").nth(2).get_by_role("button").click()
    page.keyboard.press("Delete")
    expect(page.locator("#field-list li")).to_have_count(2)
    page.keyboard.press("Control+z")
    expect(page.locator("#field-list li")).to_have_count(3)
    page.get_by_role("button", name="Redo").click()
    expect(page.locator("#field-list li")).to_have_count(2)
    page.get_by_role("button", name="Undo").click()
    expect(page.locator("#field-list li")).to_have_count(3)

    page.locator("#try-document").select_option(str(source.pk))
    page.get_by_role("button", name="Try the drawn template").click()
    results = page.locator("#try-results li")
    expect(results).to_have_count(3)
    expect(results.filter(has_text="id")).to_contain_text(first.truth["id"])
    assert not EngineTemplate.objects.filter(pk=950).exists(), "trying must not deploy"

    page.get_by_role("button", name="Back to the template").click()
    page.locator("[data-action=save]").click()
    expect(page).to_have_url(f"{page.url.split('/templates/')[0]}/templates/950/builder/")
    version = TemplateVersion.objects.get(template_id=950)
    assert [field["name"] for field in version.definition["fields"]] == ["name", "id", "fax-checkbox"]
    assert version.definition["fields"][1]["cells"] == 6
    assert version.definition["fields"][2]["checkedText"] == "V"
    name_box = version.definition["fields"][0]["box"]
    assert name_box[0] == pytest.approx(BOXES["name"][0] + 2, abs=4)
    assert name_box[1] == pytest.approx(BOXES["name"][1] + 10, abs=4)
    assert name_box[2] == pytest.approx(BOXES["name"][2] + 20, abs=6)
    assert version.definition["title"]["box"] == pytest.approx(TEMPLATE["title"]["box"], abs=6)
    assert TemplateField.objects.filter(template_id=950).count() == 3
    assert TemplateField.objects.get(template_id=950, name="fax-checkbox").label == "팩스 수신"
    assert TemplateField.objects.get(template_id=950, name="name").label == "성명"

    page.get_by_role("button", name="Deploy").click()
    expect(page.locator(".messages")).to_contain_text("deployed to the built-in engine")
    assert EngineTemplate.objects.get(pk=950).deployed

    document = upload(supervisor, second, template_ids="950")
    read = Field.objects.filter(page__document=document, is_title=False)
    assert document.pages.get().matched_template_id == 950
    assert sorted(read.values_list("name", flat=True)) == ["fax-checkbox", "id", "name"]
    assert read.get(name="id").value == second.truth["id"]


def test_a_builder_with_no_reference_yet_has_no_failed_image(page, supervisor, password):
    """The viewer says when a page image fails; an image with no source yet has not failed."""
    log_in(page, supervisor, password)
    page.goto("/templates/builder/")
    page.locator(".builder.ready").wait_for()

    assert page.locator(".stage img").evaluate("(image) => image.classList.contains('failed')") is False


def test_templates_export_and_import_round_trip(supervisor_client, supervisor, settings):
    from documents.services.template_builder import template_version_save

    field = {"name": "id", "type": "MULTI_BOX", "valueType": "NUMERIC", "box": BOXES["id"], "cells": 6}
    definition = {"fields": [field], "title": {"name": "title", "box": TEMPLATE["title"]["box"]}}
    template_version_save(
        template_id=960, name="왕복", lang="ko", data=definition, image=(DEMO / "claim-form.png").read_bytes(),
        user=supervisor,
    )  # fmt: skip

    exported = supervisor_client.get("/templates/960/export")
    archive = zipfile.ZipFile(io.BytesIO(exported.content))
    names = sorted(archive.namelist())
    data = json.loads(archive.read("template-960.json"))
    imported = supervisor_client.post(
        "/templates/import",
        {"files": [io.BytesIO(exported.content)]},
    )

    assert names == ["template-960.json", "template-960.png"]
    assert data["fields"] == definition["fields"] and data["image"] == "template-960.png" and data["name"] == "왕복"
    assert imported["Location"] == "/templates/960/builder/"
    first, second = TemplateVersion.objects.filter(template_id=960).order_by("number")
    assert second.definition == first.definition and not second.deployed
