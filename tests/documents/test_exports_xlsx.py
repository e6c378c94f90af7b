"""XLSX exports: text cells that keep ids and numbers exactly as read, never formulas; labels in headers;
the same filters and permissions as the CSV; no empty batches."""

import csv
import io

import pytest
from django.http import StreamingHttpResponse
from openpyxl import load_workbook
from rest_framework.test import APIClient

from documents.models import ExportBatch, Template, TemplateField
from documents.services.review import review_approve
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
READ = {
    "account": "746508123456",
    "member": "007123",
    "phone": "+82 10-1234-5678",
    "total": "=SUM(A1:A9)",
    "note": "@mention",
    "change": "-5",
}


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def sheet_of(response):
    assert isinstance(response, StreamingHttpResponse)
    return load_workbook(io.BytesIO(b"".join(response.streaming_content))).active


@pytest.fixture
def numbers(make_document, replay, supervisor):
    fields = [make.field(name, text, (1, 10 * place, 5, 5)) for place, (name, text) in enumerate(READ.items())]
    replay.answer = lambda received: respond(received, [make.image(fields, matchedTemplate={"id": 8, "name": "계좌"})])
    document = make_document(content=samples.png(400, 300), name="계좌.png")
    review_approve(document=document, user=supervisor)
    return document


def test_every_value_is_a_text_cell_kept_exactly_as_read(numbers, supervisor):
    response = api(supervisor).get("/api/exports/xlsx/?shape=wide")
    sheet = sheet_of(response)

    header, row = list(sheet.iter_rows())
    cells = {name.value: cell for name, cell in zip(header, row, strict=True)}
    assert {name: cells[name].value for name in READ} == READ
    assert all(cell.number_format == "@" for cell in row)
    assert all(cell.data_type == "s" for cell in row if cell.value is not None)
    assert cells["document_id"].value == str(numbers.pk) and cells["page"].value == "1"
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].endswith('-wide.xlsx"')


def test_the_header_row_is_bold_and_frozen(numbers, supervisor):
    sheet = sheet_of(api(supervisor).get("/api/exports/xlsx/"))

    assert sheet.freeze_panes == "A2"
    assert all(cell.font.b for cell in sheet[1]) and not any(cell.font.b for cell in sheet[2])


def test_the_long_shape_has_a_row_per_field_with_its_name_and_its_label(numbers, supervisor):
    TemplateField.objects.create(template=Template.objects.get(pk=8), name="account", label="계좌번호")

    header, *rows = [
        [cell.value for cell in row]
        for row in sheet_of(api(supervisor).get("/api/exports/xlsx/?shape=long")).iter_rows()
    ]

    assert header[3:6] == ["field", "label", "type"]
    by_field = {row[3]: row for row in rows}
    assert by_field["account"][4:9] == ["계좌번호", "NORMAL", "746508123456", "0.9700", "746508123456"]
    assert by_field["member"][4] == "Member" and by_field["member"][8] == "007123"


def test_wide_headers_use_the_labels_supervisors_gave_else_the_field_name(numbers, supervisor):
    template = Template.objects.get(pk=8)
    TemplateField.objects.create(template=template, name="account", label="계좌번호")
    TemplateField.objects.create(template=template, name="phone", label="연락처")
    TemplateField.objects.create(template=template, name="note", label="연락처")

    csv_header = next(
        csv.reader(io.StringIO(b"".join(api(supervisor).get("/api/exports/csv/").streaming_content).decode()))
    )
    xlsx_header = [cell.value for cell in sheet_of(api(supervisor).get("/api/exports/xlsx/"))[1]]

    assert sorted(csv_header[8:]) == sorted(
        ["계좌번호", "member", "연락처 (phone)", "total", "연락처 (note)", "change"]
    )
    assert xlsx_header == csv_header


def test_xlsx_exports_take_the_csv_filters_and_refuse_a_bad_shape(numbers, supervisor):
    client = api(supervisor)

    waiting = sheet_of(client.get("/api/exports/xlsx/?status=needs_review"))
    bad = client.get("/api/exports/xlsx/?shape=json")
    bad_date = client.get("/api/exports/xlsx/?from=yesterday")
    asked = client.get("/api/exports/xlsx/", HTTP_ACCEPT=XLSX)

    assert waiting.max_row == 1  # the header alone
    assert bad.status_code == 400 and bad.json()["code"] == "invalid_shape"
    assert bad_date.status_code == 400 and bad_date.json()["code"] == "invalid_date"
    assert asked.status_code == 200


def test_xlsx_exports_are_for_supervisors(numbers, reviewer, client):
    assert api(reviewer).get("/api/exports/xlsx/").status_code == 403
    assert client.get("/api/exports/xlsx/").status_code in (401, 403)


def test_an_xlsx_batch_is_recorded_and_downloads_again_as_xlsx(numbers, supervisor):
    client = api(supervisor)

    created = client.post("/api/exports/", {"shape": "xlsx_long"}, format="json")
    again = client.get(created.json()["download_url"])

    assert created.status_code == 201 and created.json()["shape"] == "xlsx_long"
    assert again["Content-Disposition"] == f'attachment; filename="ocrportal-export-{created.json()["id"]}-long.xlsx"'
    assert [cell.value for cell in sheet_of(again)[1]][3] == "field"


def test_an_export_that_would_hold_nothing_records_no_batch(numbers, supervisor):
    client = api(supervisor)

    first = client.post("/api/exports/", {"shape": "wide", "new": True}, format="json")
    again = client.post("/api/exports/", {"shape": "xlsx_wide", "new": True}, format="json")
    nothing = client.post("/api/exports/", {"status": "rejected"}, format="json")

    assert first.status_code == 201
    assert again.status_code == 422 and again.json()["code"] == "nothing_to_export"
    assert "exported before" in again.json()["message"]
    assert nothing.status_code == 422 and nothing.json()["message"] == (
        "Nothing was exported: no document matches these choices."
    )
    assert ExportBatch.objects.count() == 1
