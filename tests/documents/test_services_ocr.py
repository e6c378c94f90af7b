import io
import json
import re

import pikepdf
import pytest
from PIL import Image

from documents.models import Document, DocumentStatus, Field, OcrCall, SubField, TableCell, Template
from documents.services.ocr import document_ocr
from tests import clova_fixtures as make
from tests import samples
from tests.clova_replay import error_reply, page_sizes, respond, with_page_info

pytestmark = pytest.mark.django_db


def labelled_answer(received):
    """One field per page saying which page it saw: the PDF's "Page N" text, or a TIFF frame's shade."""
    labels = []
    if received.file_format == "pdf":
        with pikepdf.open(io.BytesIO(received.content)) as pdf:
            for page in pdf.pages:
                labels.append(re.search(rb"\(Page (\d+)\)", page.Contents.read_bytes())[1].decode())
    else:
        image = Image.open(io.BytesIO(received.content))
        for index in range(getattr(image, "n_frames", 1)):
            image.seek(index)
            labels.append(str(image.convert("L").getpixel((1, 1))))
    images = [
        with_page_info(received, make.image([make.field("label", label, (10, 10, 50, 20))]), index, size)
        for index, (label, size) in enumerate(zip(labels, page_sizes(received), strict=True))
    ]
    return respond(received, images)


def labels(document) -> list[str]:
    return [page.fields.get(name="label").value for page in document.pages.order_by("index")]


def test_a_long_pdf_goes_in_chunks_of_five_and_comes_back_in_page_order(make_document, replay):
    replay.answer = labelled_answer

    document = make_document(content=samples.pdf(12), name="long.pdf")

    assert [len(page_sizes(r)) for r in replay.received] == [5, 5, 2]
    assert labels(document) == [str(number) for number in range(1, 13)]
    assert [call.page_indexes for call in document.ocr_calls.all()] == [[0, 1, 2, 3, 4], [5, 6, 7, 8, 9], [10, 11]]
    assert replay.violations == []
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW


def test_text_ocr_takes_ten_pages_a_call(make_document, replay):
    replay.answer = labelled_answer

    document = make_document(content=samples.pdf(12), name="long.pdf", mode="general")

    assert [r.call for r in replay.received] == ["general", "general"]
    assert [len(page_sizes(r)) for r in replay.received] == [10, 2]
    assert labels(document) == [str(number) for number in range(1, 13)]


def test_a_short_pdf_goes_as_the_original_file(make_document, replay):
    content = samples.pdf(3)

    make_document(content=content, name="short.pdf")

    [received] = replay.received
    assert received.content == content


def test_a_long_tiff_goes_in_tiff_chunks(make_document, replay):
    replay.answer = labelled_answer

    document = make_document(content=samples.tiff(7), name="fax.tiff")

    assert [(r.file_format, len(page_sizes(r))) for r in replay.received] == [("tiff", 5), ("tiff", 2)]
    assert labels(document) == [str(255 - 20 * index) for index in range(7)]


def test_a_file_over_the_call_limit_goes_as_page_images(make_document, replay, settings):
    settings.OCR_MAX_DOCUMENT_BYTES = 1000  # smaller than the 2-page PDF

    document = make_document(content=samples.pdf(2), name="claim.pdf")

    assert [(r.file_format, r.message["images"][0]["name"]) for r in replay.received] == [
        ("png", f"document-{document.pk}-pages-1-1"),
        ("png", f"document-{document.pk}-pages-2-2"),
    ]
    page = document.pages.get(index=1)
    assert replay.received[1].content == page.image.open("rb").read()


def test_an_exif_rotated_photo_goes_as_its_upright_page_image(make_document, replay):
    make_document(content=samples.jpeg(640, 480, orientation=6), name="photo.jpg")

    [received] = replay.received
    assert received.file_format == "png"
    assert Image.open(io.BytesIO(received.content)).size == (480, 640)


def test_the_options_of_the_upload_reach_the_call(make_document, replay):
    make_document(content=samples.png(), name="a.png", template_ids="390,12", langs="ja,zh-TW")

    [received] = replay.received
    assert received.image["templateIds"] == [390, 12]
    assert received.message["lang"] == "ja,zh-TW"


def test_each_page_is_stored_with_its_fields_subfields_and_outcome(make_document, replay):
    replay.answer = lambda received: respond(
        received, [with_page_info(received, make.template_page("INVALID", "6 digits"), 0, (0, 0))]
    )

    document = make_document(content=samples.png(1000, 1000), name="claim.png")

    page = document.pages.get()
    assert (page.infer_result, page.infer_message) == ("SUCCESS", "SUCCESS")
    assert (page.matched_template.id, page.matched_template.name) == (390, "보험금 청구서")
    assert (page.validation_result, page.validation_message) == ("INVALID", "6 digits")
    assert (page.combine_name, page.combine_text) == ("summary", "김민수 / 102831")
    fields = list(page.fields.order_by("position"))
    assert [field.name for field in fields] == ["title", "id", "name", "address", "fax-checkbox", "mail-checkbox"]
    assert fields[0].is_title and not any(field.is_title for field in fields[1:])
    multibox = fields[1]
    assert (multibox.field_type, multibox.value_type, multibox.ocr_value, multibox.value) == (
        "MULTI_BOX",
        "NUMERIC",
        "102831",
        "102831",
    )
    assert [sub.value for sub in multibox.subfields.order_by("position")] == list("102831")
    assert multibox.poly == [[488, 284], [848, 284], [848, 344], [488, 344]]
    assert fields[3].value == "서울시 강남구\n테헤란로 1"
    assert [(field.checked, field.ocr_value) for field in fields[4:]] == [(True, "V"), (False, "")]
    assert Template.objects.get(id=390).name == "보험금 청구서"


def test_the_raw_answer_is_kept_verbatim(make_document, replay):
    document = make_document(content=samples.png(), name="a.png")

    [call] = document.ocr_calls.all()
    stored = json.loads(call.raw_response)
    assert stored["requestId"] == replay.received[0].message["requestId"] == call.request_id
    assert stored["images"][0]["matchedTemplate"] == {"id": 390, "name": "template"}
    assert call.http_status == 200 and call.kind == "infer" and call.sent_format == "png"


def test_failed_pages_are_stored_as_such_while_the_others_go_on(make_document, replay):
    def answer(received):
        pages = [
            make.template_page(),
            make.image([], result="FAILURE", message="No template matched this page"),
            make.image([], result="ERROR", message="Internal error on this page"),
        ]
        return respond(received, [with_page_info(received, page, i, (1653, 2339)) for i, page in enumerate(pages)])

    replay.answer = answer
    document = make_document(content=samples.pdf(3), name="mixed.pdf")

    results = [(p.infer_result, p.infer_message) for p in document.pages.order_by("index")]
    assert results == [
        ("SUCCESS", "SUCCESS"),
        ("FAILURE", "No template matched this page"),
        ("ERROR", "Internal error on this page"),
    ]
    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW


def test_a_document_whose_every_page_failed_fails_with_the_reasons(make_document, replay):
    replay.answer = lambda received: respond(
        received, [make.image([], result="FAILURE", message="No template matched")]
    )

    document = make_document(content=samples.png(), name="a.png")

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "No template matched" in document.error


def test_a_page_missing_from_the_answer_is_an_error_for_that_page(make_document, replay):
    replay.answer = lambda received: respond(
        received, [with_page_info(received, make.template_page(), 0, (1653, 2339))]
    )

    document = make_document(content=samples.pdf(2), name="a.pdf")

    second = document.pages.get(index=1)
    assert second.infer_result == "ERROR" and "no result" in second.infer_message


def test_tables_are_stored_with_cells_lines_and_words(make_document, replay):
    replay.answer = lambda received: respond(received, [make.table_page()])

    document = make_document(content=samples.png(400, 300), name="table.png", mode="general")

    page = document.pages.get()
    [table] = page.tables.all()
    cells = list(table.cells.order_by("position"))
    assert len(cells) == 7
    assert (cells[0].column_span, cells[0].text) == (2, "Item Name")
    assert cells[2].row_span == 2
    assert (cells[-1].text, cells[-1].lines.count()) == ("", 0)
    assert [word.text for word in cells[0].lines.get().words.order_by("position")] == ["Item", "Name"]
    assert [field.line_break for field in page.fields.order_by("position")] == [False, False, True]


def test_storing_again_changes_nothing(make_document, replay):
    document = make_document(content=samples.pdf(2), name="a.pdf")
    counts = (Field.objects.count(), SubField.objects.count(), OcrCall.objects.count())

    document.pages.filter(index=1).update(infer_result="")  # as if the worker died before page 2 was stored
    document_ocr(document=Document.objects.get(pk=document.pk))

    assert (Field.objects.count(), SubField.objects.count()) == counts[:2]
    assert OcrCall.objects.count() == counts[2] + 1


# --- what errors do to the document ----------------------------------------------------------------


def test_a_wrong_secret_fails_the_document_at_once_with_the_reason(make_document, replay, settings):
    settings.OCR_TEMPLATE_SECRET = "not-the-secret"

    document = make_document(content=samples.png(), name="a.png")

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "OCR is not set up correctly" in document.error and "0002" in document.error
    assert "not-the-secret" not in document.error
    [call] = document.ocr_calls.all()
    assert (call.error_code, call.attempts, call.http_status) == ("0002", 1, 401)


def test_a_refused_file_fails_the_document_with_clova_s_message(make_document, replay):
    replay.script.append(error_reply("0011", "Request invalid: the image could not be decoded"))

    document = make_document(content=samples.png(), name="a.png")

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert "the image could not be decoded" in document.error


def test_a_quota_stop_holds_the_document_visibly(make_document, replay):
    replay.script.append(error_reply("0023", "API request count reached the upper limit"))

    document = make_document(content=samples.png(), name="a.png")

    document.refresh_from_db()
    assert document.status == DocumentStatus.UPLOADED
    assert document.hold_until is not None
    assert "quota" in document.notice and "Next try after" in document.notice
    assert document.error == ""


def test_transient_failures_are_ridden_out(make_document, replay):
    replay.script.extend([error_reply("0025"), error_reply("0500"), error_reply("0501")])

    document = make_document(content=samples.png(), name="a.png")

    document.refresh_from_db()
    assert document.status == DocumentStatus.NEEDS_REVIEW
    assert document.ocr_calls.get().attempts == 4


def test_a_service_that_keeps_failing_fails_the_document_after_bounded_tries(make_document, replay, settings):
    replay.script.extend([error_reply("0500")] * settings.OCR_RETRY_ATTEMPTS)

    document = make_document(content=samples.png(), name="a.png")

    document.refresh_from_db()
    assert document.status == DocumentStatus.FAILED
    assert f"({settings.OCR_RETRY_ATTEMPTS} tries)" in document.error


def test_the_default_answer_is_the_vendor_example(make_document, replay):
    document = make_document(content=samples.png(), name="a.png")

    assert len(replay.received) == 1  # one call, answered with the vendor page's example (default_answer)
    assert list(document.pages.get().fields.values_list("name", flat=True)) == ["title", "id", "name", "fax-checkbox"]
    assert TableCell.objects.count() == 0


def test_the_secret_is_never_stored(make_document, replay, settings):
    from django.core import serializers

    from documents.models import Page

    replay.script.extend([error_reply("0500"), error_reply("0002")])
    make_document(content=samples.png(), name="a.png")
    make_document(content=samples.pdf(2), name="b.pdf")

    stored = serializers.serialize("json", [*Document.objects.all(), *OcrCall.objects.all(), *Page.objects.all()])
    assert OcrCall.objects.count() == 2
    assert replay.secret not in stored and settings.OCR_TEMPLATE_SECRET not in stored
