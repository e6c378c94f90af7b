"""The Exports page: supervisors choose, record and download; past batches download again."""

import pytest

from documents.models import ExportBatch, Table
from documents.services.review import review_approve
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def approved(make_document, replay, supervisor):
    replay.answer = lambda received: respond(received, [make.template_page()])
    document = make_document(content=samples.png(1000, 1000), name="청구서.png")
    review_approve(document=document, user=supervisor)
    return document


def test_a_supervisor_exports_new_approved_documents_and_downloads_them(approved, supervisor_client):
    response = supervisor_client.post("/exports/", {"status": ["approved"], "new": "1", "shape": "wide", "bom": "1"})
    batch = ExportBatch.objects.get()
    page = supervisor_client.get(response["Location"]).content.decode()
    download = supervisor_client.get(f"/exports/{batch.pk}/download?bom=1")
    again = supervisor_client.post("/exports/", {"status": ["approved"], "new": "1", "shape": "long"}, follow=True)

    assert response.status_code == 302 and batch.document_count == 1
    assert f"/exports/{batch.pk}/download?bom=1" in page and f"Export {batch.pk} is ready: 1 document(s)." in page
    content = b"".join(download.streaming_content)
    assert content.startswith(b"\xef\xbb\xbf") and "청구서.png".encode() in content
    assert download["Content-Disposition"] == f'attachment; filename="ocrportal-export-{batch.pk}-wide.csv"'
    shown = again.content.decode()
    assert "Nothing was exported: the one matching document was exported before." in shown
    assert ExportBatch.objects.count() == 1 and "/download" not in shown.split("<h2>")[0]


def test_a_bad_date_is_refused_with_a_message(supervisor_client):
    response = supervisor_client.post("/exports/", {"from": "tomorrow"}, follow=True)

    assert "Dates are written YYYY-MM-DD (from: &#x27;tomorrow&#x27;)." in response.content.decode()
    assert not ExportBatch.objects.exists()


def test_exports_are_for_supervisors(reviewer_client, anonymous_client, supervisor):
    batch = ExportBatch.objects.create(created_by=supervisor)

    assert reviewer_client.get("/exports/").status_code == 403
    assert reviewer_client.post("/exports/", {}).status_code == 403
    assert reviewer_client.get(f"/exports/{batch.pk}/download").status_code == 403
    assert anonymous_client.get("/exports/")["Location"].startswith("/login/")
    assert "Exports" not in reviewer_client.get("/").content.decode().split("</nav>")[0]


def test_past_batches_show_their_filters_and_download_with_or_without_a_bom(approved, supervisor_client):
    supervisor_client.post("/exports/", {"status": ["approved"], "shape": "wide", "bom": "0"})
    batch = ExportBatch.objects.get()

    page = supervisor_client.get(f"/exports/?ready={batch.pk}&bom=0").content.decode()
    plain = b"".join(supervisor_client.get(f"/exports/{batch.pk}/download?bom=0").streaming_content)
    spelled = b"".join(supervisor_client.get(f"/exports/{batch.pk}/download?bom=true").streaming_content)

    assert f"/exports/{batch.pk}/download?bom=0" in page and f"/exports/{batch.pk}/download?bom=1" in page
    assert "<td>status: Approved</td>" in page and 'class="highlight"' in page
    assert not plain.startswith(b"\xef\xbb\xbf") and spelled.startswith(b"\xef\xbb\xbf")


def test_only_new_is_not_ticked_by_default_and_says_what_it_leaves_out(supervisor_client):
    page = supervisor_client.get("/exports/").content.decode()

    assert '<input type="checkbox" name="new" value="1">' in page
    assert "documents that went out in an earlier export are left out" in page


def test_an_export_of_nothing_says_so_records_no_batch_and_offers_no_download(supervisor_client):
    response = supervisor_client.post("/exports/", {"status": ["approved"], "shape": "wide"}, follow=True)
    page = response.content.decode()

    assert "Nothing was exported: no document matches these choices." in page
    assert not ExportBatch.objects.exists() and "/download" not in page and "Download export" not in page


def test_the_page_exports_xlsx_and_past_xlsx_batches_download_without_bom_choices(approved, supervisor_client):
    page = supervisor_client.get("/exports/").content.decode()
    response = supervisor_client.post("/exports/", {"status": ["approved"], "shape": "xlsx_wide", "bom": "1"})
    batch = ExportBatch.objects.get()
    listed = supervisor_client.get(response["Location"]).content.decode()
    download = supervisor_client.get(f"/exports/{batch.pk}/download")

    assert 'value="xlsx_wide"' in page and 'value="xlsx_long"' in page
    assert batch.shape == "xlsx_wide" and "Excel (XLSX), one row per page" in listed
    assert f"/exports/{batch.pk}/download?bom=0" not in listed and f'/exports/{batch.pk}/download"' in listed
    assert download["Content-Disposition"] == f'attachment; filename="ocrportal-export-{batch.pk}-wide.xlsx"'
    assert b"".join(download.streaming_content).startswith(b"PK")  # a zip, as every XLSX file is


def test_a_text_pages_tables_download_as_csv_with_or_without_a_bom(make_document, replay, reviewer_client):
    replay.answer = lambda received: respond(received, [make.table_page()])
    document = make_document(content=samples.png(400, 300), name="table.png", mode="general")
    table = Table.objects.get(page__document=document)

    page = reviewer_client.get(f"/documents/{document.pk}/").content.decode()

    assert f"/documents/{document.pk}/tables/{table.pk}.csv?bom=1" in page
    assert f"/documents/{document.pk}/tables/{table.pk}.csv?bom=0" in page


def test_a_past_batchs_filters_read_as_words_and_leave_the_order_out():
    batch = ExportBatch(filters={"statuses": ["approved", "rejected"], "only_new": True, "ordering": "id",
                                 "low_confidence": False, "decided_from": "2026-11-01"})  # fmt: skip

    assert batch.filters_shown == [
        "status: Approved, Rejected", "only documents not exported before", "without low-confidence values",
        "decided on or after 2026-11-01",
    ]  # fmt: skip
