"""The Exports page: supervisors choose, record and download; past batches download again."""

import pytest

from documents.models import ExportBatch
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
    assert "0 document(s)" in again.content.decode()


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
    assert "<code>statuses=approved</code>" in page and 'class="highlight"' in page
    assert not plain.startswith(b"\xef\xbb\xbf") and spelled.startswith(b"\xef\xbb\xbf")
