"""Corrections reach every shape and every part of an export: fields, subFields, cells, checked text, the
combined text; headers carry the supervisors' labels; time stamps carry the configured zone's offset."""

import csv
import io
import json

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents.models import Field, Template, TemplateField
from documents.services.review import field_correct, review_approve
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db

ADDRESS = "부산시 해운대구\n센텀로 2"


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse), getattr(response, "content", b"")[:300]
    return b"".join(response.streaming_content)


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


def xlsx_rows(response) -> list[list]:
    """The sheet's values, an empty cell read as "" as in the CSV."""
    sheet = load_workbook(io.BytesIO(body(response))).active
    return [["" if cell.value is None else cell.value for cell in row] for row in sheet.iter_rows()]


@pytest.fixture
def corrected(make_document, replay, reviewer, settings):
    """The demo answer with every kind of correction: a text field, a field with words (subFields), one
    multi-box cell, a box ticked that OCR saw empty and one unticked that OCR saw ticked; then approved."""
    settings.TIME_ZONE = "Asia/Seoul"
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="청구서.png")
    fields = {field.name: field for field in Field.objects.filter(page__document=document)}
    field_correct(field_id=fields["name"].pk, user=reviewer, version=1, value="김민준")
    field_correct(field_id=fields["address"].pk, user=reviewer, version=1, value=ADDRESS)
    cell = fields["id"].subfields.order_by("position")[1]
    field_correct(field_id=fields["id"].pk, user=reviewer, version=1, cells={cell.pk: "7"})
    field_correct(field_id=fields["fax-checkbox"].pk, user=reviewer, version=1, checked=False)
    field_correct(field_id=fields["mail-checkbox"].pk, user=reviewer, version=1, checked=True)
    review_approve(document=document, user=reviewer)
    document.refresh_from_db()
    return document


def exported_fields(supervisor) -> tuple[dict, dict]:
    data = json.loads(body(api(supervisor).get("/api/exports/json/")))
    [image] = data["documents"][0]["images"]
    return image, {field["name"]: field for field in image["fields"]}


def test_a_corrected_field_with_words_carries_the_correction_in_its_subfields(corrected, supervisor):
    _, fields = exported_fields(supervisor)

    address = fields["address"]
    assert address["inferText"] == ADDRESS and address["ocrInferText"] == "서울시 강남구\n테헤란로 1"
    assert "".join(sub["inferText"] for sub in address["subFields"]) == ADDRESS
    assert [sub["ocrInferText"] for sub in address["ocrSubFields"]] == ["서울시 강남구", "테헤란로 1"]


def test_an_uncorrected_field_keeps_ocrs_own_words(make_document, replay, supervisor):
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="a.png")
    review_approve(document=document, user=supervisor)

    _, fields = exported_fields(supervisor)

    assert [sub["inferText"] for sub in fields["address"]["subFields"]] == ["서울시 강남구", "테헤란로 1"]
    assert "ocrSubFields" not in fields["address"]


def test_a_multi_box_cell_carries_its_corrected_character(corrected, supervisor):
    _, fields = exported_fields(supervisor)

    cells = fields["id"]["subFields"]
    assert [cell["inferText"] for cell in cells] == list("172831")
    assert cells[1]["ocrInferText"] == "0" and fields["id"]["inferText"] == "172831"


def test_checkboxes_read_as_the_checked_text_when_ticked_and_empty_when_not(corrected, supervisor):
    _, fields = exported_fields(supervisor)
    TemplateField.objects.create(template=Template.objects.get(pk=390), name="mail-checkbox", checked_text="우편")
    _, named = exported_fields(supervisor)

    assert (fields["mail-checkbox"]["checked"], fields["mail-checkbox"]["inferText"]) == (True, "V")
    assert (fields["fax-checkbox"]["checked"], fields["fax-checkbox"]["inferText"]) == (False, "")
    assert named["mail-checkbox"]["inferText"] == "우편"


def test_the_combined_text_is_rebuilt_from_the_corrected_values(corrected, supervisor):
    image, _ = exported_fields(supervisor)
    wide = csv_rows(api(supervisor).get("/api/exports/csv/"))
    long = csv_rows(api(supervisor).get("/api/exports/csv/?shape=long"))
    sheet = xlsx_rows(api(supervisor).get("/api/exports/xlsx/"))

    assert image["combineResult"] == {"name": "summary", "text": "김민준 / 172831", "ocrText": "김민수 / 102831"}
    assert wide[0][-1] == "combined" and wide[1][-1] == "김민준 / 172831"
    assert long[-1][3:10] == ["summary", "summary", "COMBINED", "김민수 / 102831", "", "김민준 / 172831", "yes"]
    assert sheet[0][-1] == "combined" and sheet[1][-1] == "김민준 / 172831"


def test_the_review_pages_checks_panel_shows_the_combined_text_rebuilt(corrected, reviewer_client):
    page = reviewer_client.get(f"/documents/{corrected.pk}/").content.decode()

    checks = page.split('class="checks"')[1].split("</section>")[0]
    assert "김민준 / 172831" in checks and "OCR read: 김민수 / 102831" in checks


def test_every_shape_carries_the_corrections(corrected, supervisor):
    wide = csv_rows(api(supervisor).get("/api/exports/csv/"))
    sheet = xlsx_rows(api(supervisor).get("/api/exports/xlsx/?shape=wide"))
    long = {row[3]: row for row in xlsx_rows(api(supervisor).get("/api/exports/xlsx/?shape=long"))[1:]}

    for header, row in (wide, sheet[:2]):
        values = dict(zip(header, row, strict=True))
        assert values["name"] == "김민준" and values["id"] == "172831" and values["address"] == ADDRESS
        assert (values["fax-checkbox"], values["mail-checkbox"]) == ("", "V")
    assert [long[name][8] for name in ("name", "id", "address", "fax-checkbox", "mail-checkbox")] == [
        "김민준", "172831", ADDRESS, "", "V",
    ]  # fmt: skip


def test_time_stamps_carry_the_time_zones_offset_in_every_format(corrected, supervisor):
    data = json.loads(body(api(supervisor).get("/api/exports/json/")))
    wide = csv_rows(api(supervisor).get("/api/exports/csv/"))
    long = csv_rows(api(supervisor).get("/api/exports/csv/?shape=long"))
    sheet = xlsx_rows(api(supervisor).get("/api/exports/xlsx/"))
    [document] = data["documents"]

    stamps = [
        data["exported_at"], document["reviewed_at"], document["corrections"][0]["at"], document["review"][0]["at"],
        wide[1][wide[0].index("approved_at")], long[1][long[0].index("corrected_at")],
        sheet[1][sheet[0].index("approved_at")],
    ]  # fmt: skip
    assert all(stamp and stamp.endswith("+09:00") for stamp in stamps), stamps


@pytest.mark.parametrize("shape", ["wide", "long"])
def test_a_title_typed_in_by_a_reviewer_reaches_the_csv_and_xlsx(make_document, replay, reviewer, supervisor, shape):
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="청구서.png")
    title = Field.objects.get(page__document=document, is_title=True)
    field_correct(field_id=title.pk, user=reviewer, version=1, value="보험금 청구서")
    review_approve(document=document, user=reviewer)

    for response in (
        api(supervisor).get("/api/exports/csv/", {"shape": shape}),
        api(supervisor).get("/api/exports/xlsx/", {"shape": shape}),
    ):
        rows = csv_rows(response) if response["Content-Type"].startswith("text/csv") else xlsx_rows(response)
        header = rows[0]
        if shape == "wide":
            assert rows[1][header.index("title")] == "보험금 청구서"
        else:
            [row] = [row for row in rows if row[header.index("type")] == "TITLE"]
            assert row[header.index("value")] == "보험금 청구서" and row[header.index("corrected")] == "yes"
