"""Text OCR documents in the portal: words and lines, tables with spans, cell corrections, .txt and CSV."""

import csv
import io

import pytest
from rest_framework.test import APIClient

from documents.models import DocumentStatus, EditAction, FieldEdit, Table, TableCell
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def with_table(make_document, replay):
    replay.answer = lambda received: respond(received, [make.table_page()])
    return make_document(content=samples.png(400, 300), name="table.png", mode="general")


def test_the_vendors_text_ocr_example_shows_its_words_and_lines(make_document, reviewer_client):
    document = make_document(content=samples.png(), name="letter.png", mode="general")  # replayed: vendor example

    body = reviewer_client.get(f"/documents/{document.pk}/").content.decode()
    text = reviewer_client.get(f"/documents/{document.pk}/text.txt")

    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW
    assert body.count('class="word ') == 3 and ">아름다운</span>" in body
    assert text.content.decode() == "아름다운\n이 세상\n"  # the example breaks the line after its first word
    assert text["Content-Type"] == "text/plain; charset=utf-8"


def test_tables_show_as_html_tables_with_their_spans_and_empty_cells(with_table, reviewer_client):
    body = reviewer_client.get(f"/documents/{with_table.pk}/").content.decode()

    table = body.split('<table class="ocr-table">')[1].split("</table>")[0]
    assert table.count("<tr>") == 3 and table.count("<td") == 7
    assert 'colspan="2"' in table and 'rowspan="2"' in table
    assert ">Item Name</textarea>" in table and "></textarea>" in table  # the empty cell
    assert f"/documents/{with_table.pk}/tables/" in body


def test_a_table_cell_is_corrected_with_a_version_and_an_audit_record(with_table, reviewer):
    cell = TableCell.objects.get(table__page__document=with_table, text="apple")

    saved = api(reviewer).patch(f"/api/table-cells/{cell.pk}/", {"text": "banana", "version": 1}, format="json")
    stale = api(reviewer).patch(f"/api/table-cells/{cell.pk}/", {"text": "cherry", "version": 1}, format="json")

    assert saved.status_code == 200
    assert (saved.json()["text"], saved.json()["ocr_text"], saved.json()["version"]) == ("banana", "apple", 2)
    assert stale.status_code == 409 and stale.json()["cell"]["text"] == "banana"
    edits = list(FieldEdit.objects.filter(document=with_table).values_list("action", "old_value", "new_value"))
    assert edits == [(EditAction.TABLE_CELL, "apple", "banana"), (EditAction.CONFLICT, "banana", "cherry")]
    assert FieldEdit.objects.first().field_name == "table 1 r2c2"
    with_table.refresh_from_db()
    assert with_table.status == DocumentStatus.IN_REVIEW


def test_a_table_downloads_as_a_grid_with_spans_in_their_top_left_place(with_table, reviewer_client, reviewer):
    cell = TableCell.objects.get(table__page__document=with_table, text="1,000")
    api(reviewer).patch(f"/api/table-cells/{cell.pk}/", {"text": "=SUM(A1)", "version": 1}, format="json")
    table = Table.objects.get(page__document=with_table)

    response = reviewer_client.get(f"/documents/{with_table.pk}/tables/{table.pk}.csv?bom=1")

    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig")))) == [
        ["Item Name", "", "Price"],
        ["Group A", "apple", "'=SUM(A1)"],
        ["", "pear", ""],
    ]
    assert response["Content-Disposition"] == f'attachment; filename="document-{with_table.pk}-p1-t1.csv"'


def test_text_and_tables_need_a_role_and_belong_to_their_document(with_table, outsider_client, reviewer_client,
                                                                 make_document):  # fmt: skip
    table = Table.objects.get(page__document=with_table)
    other = make_document(name="other.png")

    assert outsider_client.get(f"/documents/{with_table.pk}/text.txt").status_code == 403
    assert outsider_client.get(f"/documents/{with_table.pk}/tables/{table.pk}.csv").status_code == 403
    assert reviewer_client.get(f"/documents/{other.pk}/tables/{table.pk}.csv").status_code == 404


def test_a_multi_page_text_download_separates_its_pages_with_form_feeds(make_document, reviewer_client):
    document = make_document(content=samples.pdf(2), name="letter.pdf", mode="general")  # vendor example per page

    text = reviewer_client.get(f"/documents/{document.pk}/text.txt").content.decode()

    assert text == "아름다운\n이 세상\n\f아름다운\n이 세상\n"
