"""Reading again, turning and removing pages from the review page, and Retry, against the CLOVA replay."""

import hashlib
import io

import pytest
from PIL import Image

from documents import selectors
from documents.filters import DocumentFilters
from documents.models import (
    Document,
    DocumentStatus,
    FieldEdit,
    Page,
    ReviewAction,
    ReviewEvent,
)
from documents.services import document_retry
from documents.services.jobs import document_rerun
from documents.services.reread import (
    ReadOptions,
    RereadError,
    document_reread,
    page_remove,
    page_rotate,
    read_options,
)
from documents.services.review import field_correct
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import page_sizes, respond, with_page_info

pytestmark = pytest.mark.django_db

OTHER_TEMPLATE = 391


def by_template(received):
    """Each page read with a value naming the templates it was read with, matched to the first of them."""
    ids = received.image.get("templateIds")
    template = {"id": ids[0], "name": f"template {ids[0]}"} if ids else {"id": 390, "name": "보험금 청구서"}
    images = [
        with_page_info(
            received,
            make.image([make.field("name", f"read with {ids}", (10, 10, 200, 40))], matchedTemplate=template),
            index,
            size,
        )
        for index, size in enumerate(page_sizes(received))
    ]
    return respond(received, images)


def values(document) -> list[str]:
    return [page.fields.get(name="name").value for page in document.pages.order_by("index")]


def correct(page: Page, user, value: str) -> None:
    field = page.fields.get(name="name")
    field_correct(field_id=field.pk, user=user, version=field.version, value=value)


@pytest.fixture
def two_pages(make_document, replay, supervisor):
    replay.answer = by_template
    document = make_document(content=samples.pdf(2), name="two.pdf")
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW
    return document


def test_reading_one_page_again_with_another_template_changes_that_page_only_and_keeps_its_history(
    two_pages, replay, supervisor, django_capture_on_commit_callbacks
):
    first, second = two_pages.pages.order_by("index")
    correct(first, supervisor, "kept on page 1")
    correct(second, supervisor, "replaced on page 2")
    calls = len(replay.received)

    with django_capture_on_commit_callbacks(execute=True):
        document_reread(
            document=two_pages, user=supervisor, options=ReadOptions(template_ids=[OTHER_TEMPLATE]), page_index=1
        )

    two_pages.refresh_from_db()
    assert two_pages.status == DocumentStatus.NEEDS_REVIEW
    assert values(two_pages) == ["kept on page 1", f"read with [{OTHER_TEMPLATE}]"]
    [sent] = replay.received[calls:]  # one call, for page 2 alone, with the chosen template
    assert sent.image["templateIds"] == [OTHER_TEMPLATE] and sent.file_format == "png"
    second.refresh_from_db()
    assert (second.ocr_template_ids, second.matched_template_id) == ([OTHER_TEMPLATE], OTHER_TEMPLATE)
    edits = FieldEdit.objects.filter(document=two_pages).order_by("page_index")
    assert [(edit.page_index, edit.new_value) for edit in edits] == [(0, "kept on page 1"), (1, "replaced on page 2")]
    event = ReviewEvent.objects.get(document=two_pages, action=ReviewAction.REREAD)
    assert event.user == supervisor and "page 2" in event.note and str(OTHER_TEMPLATE) in event.note


def test_a_page_read_with_its_own_template_is_read_with_it_again_by_retry(
    two_pages, replay, supervisor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        document_reread(
            document=two_pages, user=supervisor, options=ReadOptions(template_ids=[OTHER_TEMPLATE]), page_index=0
        )
    with django_capture_on_commit_callbacks(execute=True):
        document_rerun(document=two_pages, user=supervisor)

    assert values(two_pages) == [f"read with [{OTHER_TEMPLATE}]", "read with None"]


def test_reading_the_whole_document_again_takes_the_options_as_the_documents_own(
    two_pages, replay, supervisor, django_capture_on_commit_callbacks
):
    options = read_options(mode="template", template_ids=str(OTHER_TEMPLATE), langs=["ja"])
    with django_capture_on_commit_callbacks(execute=True):
        document_reread(document=two_pages, user=supervisor, options=options)

    two_pages.refresh_from_db()
    assert (two_pages.template_ids, two_pages.lang) == ([OTHER_TEMPLATE], "ja")
    assert values(two_pages) == [f"read with [{OTHER_TEMPLATE}]"] * 2
    assert replay.received[-1].message["lang"] == "ja"


def test_reading_an_approved_document_again_sends_it_back_to_review(
    two_pages, supervisor, django_capture_on_commit_callbacks
):
    Document.objects.filter(pk=two_pages.pk).update(status=DocumentStatus.APPROVED, reviewed_by=supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        document_reread(document=two_pages, user=supervisor, options=ReadOptions(), page_index=0)

    two_pages.refresh_from_db()
    assert (two_pages.status, two_pages.reviewed_by) == (DocumentStatus.NEEDS_REVIEW, None)
    assert "Approved" in ReviewEvent.objects.get(action=ReviewAction.REREAD).note


def test_a_document_being_processed_is_not_read_again(two_pages, supervisor):
    Document.objects.filter(pk=two_pages.pk).update(status=DocumentStatus.PROCESSING)

    with pytest.raises(RereadError) as refused:
        document_reread(document=two_pages, user=supervisor, options=ReadOptions(), page_index=0)

    assert refused.value.code == "busy"


def test_the_mode_changes_for_the_whole_document_only(two_pages, supervisor):
    with pytest.raises(RereadError) as refused:
        document_reread(document=two_pages, user=supervisor, options=ReadOptions(mode="general"), page_index=0)

    assert refused.value.code == "mode_per_document"


def test_turning_a_page_stores_a_turned_image_and_reads_it_again(
    make_document, replay, supervisor, file_storage, django_capture_on_commit_callbacks
):
    content = samples.png(width=800, height=600)
    document = make_document(content=content, name="sideways.png")
    page = document.pages.get()
    before = page.image.name
    calls = len(replay.received)

    with django_capture_on_commit_callbacks(execute=True):
        page_rotate(document=document, user=supervisor, page_index=0, degrees=90)

    page.refresh_from_db()
    assert (page.rotation, page.width, page.height) == (90, 600, 800)
    assert page.image.name != before and not (file_storage / before).exists()
    with page.image.open("rb") as handle, Image.open(io.BytesIO(handle.read())) as turned:
        assert turned.size == (600, 800)
    [sent] = replay.received[calls:]  # read again, as the turned image
    assert Image.open(io.BytesIO(sent.content)).size == (600, 800)
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW and page.fields.exists()
    with document.file.open("rb") as original:
        assert hashlib.sha256(original.read()).hexdigest() == document.sha256  # the original is untouched
    assert "90°" in ReviewEvent.objects.get(document=document, action=ReviewAction.ROTATE_PAGE).note


def test_a_turned_page_of_a_pdf_goes_to_ocr_as_its_image(
    two_pages, replay, supervisor, django_capture_on_commit_callbacks
):
    calls = len(replay.received)

    with django_capture_on_commit_callbacks(execute=True):
        page_rotate(document=two_pages, user=supervisor, page_index=1, degrees=180)
    with django_capture_on_commit_callbacks(execute=True):
        document_rerun(document=two_pages, user=supervisor)

    formats = [received.file_format for received in replay.received[calls:]]
    assert formats == ["png", "png", "pdf"]  # turned: alone, as its image, every time it is read
    assert two_pages.pages.get(index=1).rotation == 180


def test_turning_by_other_than_a_quarter_is_refused(two_pages, supervisor):
    with pytest.raises(RereadError):
        page_rotate(document=two_pages, user=supervisor, page_index=0, degrees=45)


def test_removing_a_page_takes_it_out_of_review_and_keeps_the_original_and_a_record(
    two_pages, supervisor, django_capture_on_commit_callbacks
):
    second = two_pages.pages.get(index=1)
    correct(second, supervisor, "on the removed page")

    page_remove(document=two_pages, user=supervisor, page_index=1)

    assert list(two_pages.pages.values_list("index", flat=True)) == [0]
    removed = Page.all_objects.get(pk=second.pk)
    assert removed.removed_by == supervisor and removed.image.storage.exists(removed.image.name)
    assert not removed.fields.exists()
    loaded = selectors.document_with_results().get(pk=two_pages.pk)
    assert [page.index for page in loaded.pages.all()] == [0]
    assert "on the removed page" in ReviewEvent.objects.get(action=ReviewAction.REMOVE_PAGE).note
    with two_pages.file.open("rb") as original:
        assert hashlib.sha256(original.read()).hexdigest() == two_pages.sha256
    # Read again from scratch, the removed page is neither rendered back nor read.
    with django_capture_on_commit_callbacks(execute=True):
        document_rerun(document=two_pages, user=supervisor)
    two_pages.refresh_from_db()
    assert two_pages.status == DocumentStatus.NEEDS_REVIEW
    assert Page.all_objects.filter(document=two_pages).count() == 2 and two_pages.pages.count() == 1


def test_a_removed_page_no_longer_counts_as_low_confidence(two_pages, supervisor):
    from documents.filters import documents_filtered, with_low_confidence

    two_pages.pages.get(index=1).fields.update(confidence=0.1)
    low = DocumentFilters(low_confidence=True)
    assert documents_filtered(low, with_low_confidence(Document.objects.all())).filter(pk=two_pages.pk).exists()

    page_remove(document=two_pages, user=supervisor, page_index=1)

    assert not documents_filtered(low, with_low_confidence(Document.objects.all())).filter(pk=two_pages.pk).exists()


def test_the_last_page_cannot_be_removed(make_document, supervisor):
    document = make_document(name="one.png")

    with pytest.raises(RereadError) as refused:
        page_remove(document=document, user=supervisor, page_index=0)

    assert refused.value.code == "last_page" and document.pages.count() == 1


def test_removing_a_page_of_an_approved_document_sends_it_back_to_review(two_pages, supervisor):
    Document.objects.filter(pk=two_pages.pk).update(status=DocumentStatus.APPROVED, reviewed_by=supervisor)

    page_remove(document=two_pages, user=supervisor, page_index=0)

    two_pages.refresh_from_db()
    assert (two_pages.status, two_pages.reviewed_by) == (DocumentStatus.NEEDS_REVIEW, None)


def no_template_until_deployed(deployed: list[bool]):
    """The engine's answer before a matching template is deployed, and CLOVA's once it is."""

    def answer(received):
        if deployed:
            return by_template(received)
        image = make.image([], result="FAILURE", message="No deployed template matches this page")
        return respond(received, [with_page_info(received, image, 0, page_sizes(received)[0])])

    return answer


def test_retry_reads_again_a_document_that_failed_because_no_template_matched(
    make_document, replay, supervisor, django_capture_on_commit_callbacks
):
    deployed: list[bool] = []
    replay.answer = no_template_until_deployed(deployed)
    document = make_document(name="form.png")
    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED and "No deployed template matches" in document.error

    deployed.append(True)
    with django_capture_on_commit_callbacks(execute=True):
        assert document_retry(document=document, user=supervisor)

    document.refresh_from_db()
    assert (document.status, document.error) == (DocumentStatus.NEEDS_REVIEW, "")
    assert values(document) == ["read with None"]
    assert ReviewEvent.objects.get(document=document, action=ReviewAction.RETRY).user == supervisor


def test_retry_keeps_the_pages_that_were_read(make_document, replay, supervisor, django_capture_on_commit_callbacks):
    """Only what failed is read again: a page already read keeps its values and corrections."""
    calls_made: list[int] = []

    def answer(received):
        calls_made.append(1)
        if len(calls_made) > 1:
            return by_template(received)
        sizes = page_sizes(received)
        read = make.image([make.field("name", "read with None", (10, 10, 200, 40))])
        failed = make.image([], result="FAILURE", message="No deployed template matches this page")
        return respond(
            received, [with_page_info(received, read, 0, sizes[0]), with_page_info(received, failed, 1, sizes[1])]
        )

    replay.answer = answer
    document = make_document(content=samples.tiff(frames=2), name="two.tiff")
    correct(document.pages.get(index=0), supervisor, "corrected")
    Document.objects.filter(pk=document.pk).update(status=DocumentStatus.FAILED, error="page 2 failed")
    calls = len(replay.received)

    with django_capture_on_commit_callbacks(execute=True):
        document_retry(document=document, user=supervisor)

    assert len(replay.received) == calls + 1
    assert values(document) == ["corrected", "read with None"]
