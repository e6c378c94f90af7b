import pytest

from documents.models import Document
from tests import samples

pytestmark = pytest.mark.django_db


def test_supervisors_find_documents_by_filter_and_search(supervisor_client, make_document):
    make_document(name="alpha-claim.png")
    make_document(name="beta-receipt.png")

    listing = supervisor_client.get("/admin/documents/document/").content.decode()
    searched = supervisor_client.get("/admin/documents/document/?q=receipt").content.decode()
    filtered = supervisor_client.get("/admin/documents/document/?status__exact=failed").content.decode()

    assert "alpha-claim.png" in listing and "beta-receipt.png" in listing
    assert 'id="changelist-filter"' in listing
    assert "beta-receipt.png" in searched and "alpha-claim.png" not in searched
    assert "alpha-claim.png" not in filtered


def test_a_document_shows_its_pages_inline(supervisor_client, make_document):
    document = make_document(content=samples.pdf(2), name="claim.pdf")

    page = supervisor_client.get(f"/admin/documents/document/{document.pk}/change/").content.decode()

    assert f"/documents/{document.pk}/pages/0/thumbnail" in page
    assert f"/documents/{document.pk}/pages/1/thumbnail" in page


def test_documents_cannot_be_added_past_the_intake_checks(supervisor_client):
    assert supervisor_client.get("/admin/documents/document/add/").status_code == 403


def test_deleting_a_document_in_the_admin_removes_its_files(
    supervisor_client, make_document, file_storage, django_capture_on_commit_callbacks
):
    document = make_document(content=samples.pdf(1), name="claim.pdf")
    assert any(file_storage.rglob("*.png"))

    with django_capture_on_commit_callbacks(execute=True):
        response = supervisor_client.post(f"/admin/documents/document/{document.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Document.objects.exists()
    assert [path for path in file_storage.rglob("*") if path.is_file()] == []
