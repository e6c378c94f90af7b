import json

import pytest

from documents.clova.errors import OcrProtocolError
from documents.clova.protocol import parse_response
from tests import clova_fixtures as make
from tests.clova_replay import fixture


def parse_images(*images: dict):
    return parse_response(json.dumps({"version": "V2", "requestId": "r", "timestamp": 1, "images": list(images)}))


def test_it_reads_the_vendor_s_template_example():
    response = parse_response(json.dumps(fixture("template-response.json")))

    [image] = response.images
    assert (response.version, response.timestamp) == ("V2", 1584067653255)
    assert (image.infer_result, image.message) == ("SUCCESS", "SUCCESS")
    assert (image.matched_template.id, image.matched_template.name) == (390, "template")
    assert image.validation.result == "NO_REQUESTED"
    assert image.title.text == "보험금 청구서 (인보험月)"
    assert image.title.poly[0] == (453.7125, 54.1125)
    multibox, name, checkbox = image.fields
    assert (multibox.type, multibox.value_type, multibox.text) == ("MULTI_BOX", "NUMERIC", "102831")
    assert [sub.text for sub in multibox.subfields] == list("102831")
    assert multibox.subfields[1].confidence == pytest.approx(0.6391636)
    assert (name.name, name.text, name.type, name.subfields) == ("name", "David", "NORMAL", ())
    assert (checkbox.type, checkbox.checked, checkbox.text) == ("CHECKBOX", True, "")


def test_it_reads_the_vendor_s_text_example():
    [image] = parse_response(json.dumps(fixture("general-response.json"))).images

    assert [field.text for field in image.fields] == ["아름다운", "이", "세상"]
    assert [field.line_break for field in image.fields] == [True, False, False]
    assert image.matched_template is None and image.title is None


def test_it_reads_multi_line_fields_empty_titles_after_fields_and_combine_results():
    [image] = parse_images(make.template_page(validation="INVALID", validation_message="id must be 6 digits")).images

    assert image.title.text == "" and image.title.confidence == 0.0
    address = image.fields[2]
    assert address.text == "서울시 강남구\n테헤란로 1"
    assert [sub.line_break for sub in address.subfields] == [True, False]
    assert [field.checked for field in image.fields[3:]] == [True, False]
    assert (image.validation.result, image.validation.message) == ("INVALID", "id must be 6 digits")
    assert (image.combine.name, image.combine.text) == ("summary", "김민수 / 102831")


@pytest.mark.parametrize("result", ["NO_REQUESTED", "UNCHECKED", "ERROR", "VALID", "INVALID"])
def test_it_keeps_every_validation_result(result):
    [image] = parse_images(make.template_page(validation=result)).images

    assert image.validation.result == result


def test_it_reads_tables_with_spans_and_empty_cells():
    [image] = parse_images(make.table_page()).images

    [table] = image.tables
    assert len(table.cells) == 7
    header = table.cells[0]
    assert (header.row, header.column, header.column_span, header.text) == (0, 0, 2, "Item Name")
    assert table.cells[2].row_span == 2
    empty = table.cells[-1]
    assert (empty.lines, empty.text, empty.confidence) == ((), "", 1.0)


def test_it_turns_v1_bounding_into_a_polygon():
    [image] = parse_images(make.v1_page()).images

    [field] = image.fields
    assert field.poly == ((100.25, 287.5), (194.25, 287.5), (194.25, 329.5), (100.25, 329.5))
    assert (field.type, field.checked, field.line_break) == ("NORMAL", None, None)


def test_it_reads_failed_pages_and_converted_image_info():
    failed = make.image([], result="FAILURE", message="no template matched")
    failed["convertedImageInfo"] = {"width": 1240, "height": 1754, "pageIndex": 1}
    error = make.image([], result="ERROR", message="internal error")

    first, second = parse_images(failed, error).images

    assert (first.infer_result, first.message) == ("FAILURE", "no template matched")
    assert (first.converted.width, first.converted.height, first.converted.page_index) == (1240, 1754, 1)
    assert second.infer_result == "ERROR"


def test_every_key_but_images_is_optional_and_unknown_keys_are_ignored():
    response = parse_response(json.dumps({"images": [{"fields": [{}]}], "ourOwnKey": {"x": 1}}))

    [image] = response.images
    assert (response.version, response.request_id, response.timestamp) == ("", "", None)
    assert image.infer_result == "SUCCESS"
    [field] = image.fields
    assert (field.text, field.confidence, field.poly, field.type) == ("", None, (), "NORMAL")


def test_an_answer_with_no_images_is_empty_not_an_error():
    assert parse_response('{"images": []}').images == ()


@pytest.mark.parametrize(
    "body",
    [
        "",
        "not json",
        "[]",
        '{"version": "V2"}',
        '{"images": {}}',
        '{"images": ["text"]}',
        '{"images": [{"fields": [{"boundingPoly": {"vertices": [{"x": "left"}]}}]}]}',
        '{"images": [{"title": "a title"}]}',
    ],
)
def test_a_body_of_another_shape_is_refused(body):
    with pytest.raises(OcrProtocolError):
        parse_response(body)
