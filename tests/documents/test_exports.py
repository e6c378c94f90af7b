"""Exports: contents of known corrected documents in every shape, formula safety, Excel, filters, batches."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.http import StreamingHttpResponse
from django.utils import timezone
from rest_framework.test import APIClient

from documents.exports.csv_stream import csv_stream, safe_cell
from documents.models import Document, ExportBatch, Field, Template, TemplateField
from documents.services.review import field_correct, review_approve
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def body(response) -> bytes:
    assert isinstance(response, StreamingHttpResponse)
    return b"".join(response.streaming_content)


def rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))


@pytest.fixture
def corrected(make_document, replay, reviewer):
    """The demo answer, with the name, one id cell and the fax checkbox corrected, then approved."""
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="청구서.png")
    fields = {field.name: field for field in Field.objects.filter(page__document=document)}
    field_correct(field_id=fields["name"].pk, user=reviewer, version=1, value="김민준")
    cell = fields["id"].subfields.order_by("position")[1]
    field_correct(field_id=fields["id"].pk, user=reviewer, version=1, cells={cell.pk: "7"})
    field_correct(field_id=fields["fax-checkbox"].pk, user=reviewer, version=1, checked=False)
    review_approve(document=document, user=reviewer)
    document.refresh_from_db()
    return document


def test_the_wide_csv_has_one_row_per_page_with_fields_in_template_order(corrected, supervisor, reviewer):
    TemplateField.objects.create(template=Template.objects.get(pk=390), name="name", position=0)

    table = rows(api(supervisor).get("/api/exports/csv/"))

    header, row = table
    assert header == [
        "document_id", "file_name", "page", "template", "status", "validation_result", "reviewer", "approved_at",
        "name", "id", "address", "fax-checkbox", "mail-checkbox", "combined",
    ]  # fmt: skip
    assert row[:7] == [str(corrected.pk), "청구서.png", "1", "보험금 청구서", "approved", "VALID", reviewer.username]
    assert row[7] == timezone.localtime(corrected.reviewed_at).isoformat(timespec="seconds")
    assert row[8:] == ["김민준", "172831", "서울시 강남구\n테헤란로 1", "", "", "김민준 / 172831"]


def test_checkboxes_export_as_their_checked_text_or_as_booleans(corrected, supervisor, settings):
    field_correct(
        field_id=Field.objects.get(page__document=corrected, name="mail-checkbox").pk,
        user=supervisor,
        version=1,
        checked=True,
    ) if False else None  # approved documents cannot change; the fax box was unticked, the mail box never ticked
    texts = rows(api(supervisor).get("/api/exports/csv/"))[1][-3:-1]
    settings.EXPORT_CHECKBOX_FORMAT = "boolean"
    booleans = rows(api(supervisor).get("/api/exports/csv/"))[1][-3:-1]

    assert texts == ["", ""]
    assert booleans == ["false", "false"]


def test_a_ticked_box_reads_as_the_text_ocr_answered_or_the_supervisors(make_document, replay, supervisor):
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="a.png")
    review_approve(document=document, user=supervisor)

    def boxes() -> list[str]:
        header, row = rows(api(supervisor).get("/api/exports/csv/"))
        return [row[header.index(name)] for name in ("fax-checkbox", "mail-checkbox")]

    before = boxes()
    TemplateField.objects.create(template=Template.objects.get(pk=390), name="fax-checkbox", checked_text="팩스")

    assert before == ["V", ""] and boxes() == ["팩스", ""]


def test_the_long_csv_has_one_row_per_field_with_who_corrected_it(corrected, supervisor, reviewer):
    table = rows(api(supervisor).get("/api/exports/csv/?shape=long"))

    header, *lines = table
    assert header == [
        "document_id", "file_name", "page", "field", "label", "type", "ocr_value", "confidence", "value", "corrected",
        "corrected_by", "corrected_at",
    ]  # fmt: skip
    by_field = {line[3]: line for line in lines}
    assert set(by_field) == {"id", "name", "address", "fax-checkbox", "mail-checkbox", "summary"}
    assert by_field["name"][4:11] == ["Name", "NORMAL", "김민수", "0.9700", "김민준", "yes", reviewer.username]
    assert by_field["id"][6] == "102831" and by_field["id"][8:10] == ["172831", "yes"]
    assert by_field["fax-checkbox"][4:10] == ["Fax checkbox", "CHECKBOX", "V", "0.9700", "", "yes"]
    assert by_field["address"][9:] == ["no", "", ""]
    assert by_field["name"][11].startswith(str(timezone.localdate().year))
    assert lines[-1][3:10] == ["summary", "summary", "COMBINED", "김민수 / 102831", "", "김민준 / 172831", "yes"]


def test_the_json_export_is_clova_shaped_with_corrections_and_the_audit_trail(corrected, supervisor, reviewer):
    data = json.loads(body(api(supervisor).get("/api/exports/json/")))

    [document] = data["documents"]
    [image] = document["images"]
    fields = {field["name"]: field for field in image["fields"]}
    assert image["matchedTemplate"] == {"id": 390, "name": "보험금 청구서"}
    assert image["validationResult"]["result"] == "VALID"
    assert (fields["name"]["inferText"], fields["name"]["ocrInferText"]) == ("김민준", "김민수")
    assert [sub["inferText"] for sub in fields["id"]["subFields"]] == list("172831")
    assert (fields["fax-checkbox"]["checked"], fields["fax-checkbox"]["ocrChecked"]) == (False, True)
    assert fields["name"]["boundingPoly"]["vertices"][0] == {"x": 287.0, "y": 287.0}
    assert [(edit["field"], edit["action"], edit["user"]) for edit in document["corrections"]] == [
        ("name", "text", reviewer.username), ("id", "cell", reviewer.username),
        ("fax-checkbox", "checked", reviewer.username),
    ]  # fmt: skip
    assert document["corrections"][1]["cell"] == 2
    assert [event["action"] for event in document["review"]] == ["claim", "approve"]


@pytest.mark.parametrize("value", ["=1+2", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_cells_that_would_run_as_formulas_are_neutralised(value):
    assert safe_cell(value) == "'" + value
    assert safe_cell("plain") == "plain" and safe_cell("a=b") == "a=b"


def test_formula_text_from_ocr_leaves_the_csv_neutralised(make_document, replay, supervisor):
    replay.answer = lambda received: respond(
        received,
        [
            make.image(
                [make.field("total", '=HYPERLINK("http://x")', (1, 1, 5, 5)), make.field("n", "-5", (1, 9, 5, 5))],
                matchedTemplate={"id": 7, "name": "@evil"},
            )
        ],
    )  # fmt: skip
    document = make_document(name="=cmd.png")
    review_approve(document=document, user=supervisor)

    row = rows(api(supervisor).get("/api/exports/csv/"))[1]

    assert row[1] == "'=cmd.png" and row[3] == "'@evil"
    assert row[-2:] == ['\'=HYPERLINK("http://x")', "'-5"]


def test_korean_text_opens_through_an_excel_style_reader_with_the_bom(corrected, supervisor):
    raw = body(api(supervisor).get("/api/exports/csv/?bom=1"))

    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.count(b"\r\n") == 2 and b"\n" in raw.replace(b"\r\n", b"")  # the address keeps its own line break
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), dialect="excel"))
    assert table[1][1] == "청구서.png" and table[1][table[0].index("name")] == "김민준"
    without = body(api(supervisor).get("/api/exports/csv/"))
    assert not without.startswith(b"\xef\xbb\xbf")


def test_a_ten_thousand_row_export_streams_in_chunks(supervisor):
    template = Template.objects.create(id=55, name="bulk")
    document = Document.objects.create(
        display_name="bulk.pdf", sha256="0" * 64, size=1, file_format="pdf", page_count=10_000, status="approved"
    )
    from documents.models import Page

    pages = Page.objects.bulk_create(
        Page(document=document, index=index, width=10, height=10, matched_template=template) for index in range(10_000)
    )
    Field.objects.bulk_create(Field(page=page, position=0, name="n", value=f"value {page.index}") for page in pages)

    response = api(supervisor).get("/api/exports/csv/")
    chunks = list(response.streaming_content)

    assert len(chunks) >= 20, "rows must go out a few hundred at a time, not as one body"
    lines = b"".join(chunks).decode().split("\r\n")
    assert len(lines) == 10_002 and lines[-1] == ""
    assert lines[10_000].endswith(",value 9999")


def test_csv_stream_flushes_every_few_hundred_rows():
    chunks = list(csv_stream(([n] for n in range(1_200)), rows_per_chunk=500))

    assert len(chunks) == 3 and b"".join(chunks).count(b"\r\n") == 1_200


def test_filters_status_template_dates_and_validation(make_document, replay, supervisor):
    replay.answer = lambda received: respond(received, [make.template_page("INVALID")])
    invalid = make_document(name="invalid.png")
    replay.answer = lambda received: respond(received, [make.template_page("VALID")])
    valid = make_document(name="valid.png")
    make_document(name="waiting.png")
    for document in (invalid, valid):
        review_approve(document=document, user=supervisor)
    Document.objects.filter(pk=invalid.pk).update(reviewed_at=timezone.now() - timedelta(days=10))
    client = api(supervisor)

    def names(query: str) -> list[str]:
        return [row[1] for row in rows(client.get(f"/api/exports/csv/{query}"))[1:]]

    assert names("") == ["invalid.png", "valid.png"]
    assert names("?status=needs_review") == ["waiting.png"]
    assert names("?status=all") == ["invalid.png", "valid.png", "waiting.png"]
    assert names("?validation=INVALID") == ["invalid.png"]
    assert names(f"?from={(timezone.localdate() - timedelta(days=1)).isoformat()}") == ["valid.png"]
    assert names(f"?to={(timezone.localdate() - timedelta(days=5)).isoformat()}") == ["invalid.png"]
    assert names("?template=390") == ["invalid.png", "valid.png"]
    assert names("?template=391") == []
    bad = client.get("/api/exports/csv/?from=yesterday")
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_date"
    assert client.get("/api/exports/csv/?status=lost").json()["code"] == "invalid_status"


def test_export_batches_record_what_went_out_and_new_since_last_time(corrected, make_document, replay, supervisor):
    client = api(supervisor)

    first = client.post("/api/exports/", {"shape": "wide", "new": True}, format="json")
    again = client.post("/api/exports/", {"shape": "long", "new": True}, format="json")
    replay.answer = lambda received: respond(received, [make.template_page()])
    later = make_document(name="later.png")
    review_approve(document=later, user=supervisor)
    third = client.post("/api/exports/", {"new": True}, format="json")

    assert first.status_code == 201 and first.json()["document_count"] == 1
    assert again.status_code == 422 and again.json()["code"] == "nothing_to_export"
    assert third.json()["document_count"] == 1
    batch = ExportBatch.objects.get(pk=first.json()["id"])
    assert list(batch.documents.all()) == [corrected] and batch.created_by == supervisor
    corrected.refresh_from_db()
    assert corrected.exported_at is not None
    download = client.get(first.json()["download_url"])
    assert [row[1] for row in rows(download)[1:]] == ["청구서.png"]
    assert "export-" in download["Content-Disposition"]
    listed = client.get("/api/exports/").json()
    assert [item["id"] for item in listed["results"]] == [third.json()["id"], first.json()["id"]]
