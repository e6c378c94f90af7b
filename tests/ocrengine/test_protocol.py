"""The engine answers exactly as CLOVA does: shapes, encodings, secrets and every error code."""

import io

import pytest
from django.test import Client
from PIL import Image

from documents.clova.protocol import parse_response
from tests import samples
from tests.ocrengine.conftest import ENGINE_SECRET, message, post_json, post_multipart, sample_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def client() -> Client:
    return Client()


def assert_error(response, status: int, code: str):
    assert response.status_code == status, response.content
    body = response.json()
    assert body["code"] == code
    assert set(body) == {"code", "message", "path", "timestamp"}
    assert body["message"]
    return body


def test_a_template_call_answers_in_protocol_shape(client, demo_templates, demo_samples):
    sample = sample_of(demo_samples, "png")
    body = message("png")

    response = post_multipart(client, sample.content, body)

    assert response.status_code == 200
    answer = response.json()
    assert (answer["version"], answer["requestId"]) == ("V2", body["requestId"])
    assert isinstance(answer["timestamp"], int)
    [image] = answer["images"]
    expected_keys = "uid name inferResult message matchedTemplate title fields validationResult combineResult"
    assert set(image) == set(expected_keys.split())
    assert (image["name"], image["inferResult"], image["message"]) == ("demo", "SUCCESS", "SUCCESS")
    assert image["matchedTemplate"] == {"id": 390, "name": "보험금 청구서"}
    assert image["title"]["inferText"] == "보험금 청구서"
    for field in image["fields"]:
        assert {"name", "valueType", "inferText", "inferConfidence", "boundingPoly", "type"} <= set(field)
        assert 0 <= field["inferConfidence"] <= 1
        assert len(field["boundingPoly"]["vertices"]) == 4
    parse_response(response.content)  # and the portal's strict parser takes it


def test_the_json_encoding_gives_the_same_answer(client, demo_templates, demo_samples):
    sample = sample_of(demo_samples, "jpg")

    by_form = post_multipart(client, sample.content, message("jpg")).json()["images"][0]
    by_json = post_json(client, sample.content, message("jpg")).json()["images"][0]

    assert [f["inferText"] for f in by_form["fields"]] == [f["inferText"] for f in by_json["fields"]]


def test_json_without_a_json_content_type_is_read_too(client, demo_templates, demo_samples):
    # The vendor's own curl example posts JSON with curl's default form content type.
    import base64
    import json

    body = message("png")
    body["images"][0]["data"] = base64.b64encode(sample_of(demo_samples, "png").content).decode()
    response = client.post(
        "/ocr/local/infer",
        json.dumps(body),
        content_type="application/x-www-form-urlencoded",
        headers={"X-OCR-SECRET": "engine-secret-for-tests"},
    )

    assert response.status_code == 200
    assert response.json()["images"][0]["inferResult"] == "SUCCESS"


@pytest.mark.parametrize("secret", ["wrong", ""])
def test_a_wrong_or_missing_secret_is_401_0002(client, demo_templates, secret):
    response = post_multipart(client, samples.png(), message("png"), secret=secret)

    assert_error(response, 401, "0002")


def test_a_body_that_is_not_json_is_0011(client, demo_templates):
    response = client.post(
        "/ocr/local/infer",
        b"not json",
        content_type="application/json",
        headers={"X-OCR-SECRET": "engine-secret-for-tests"},
    )

    assert_error(response, 400, "0011")


def test_an_unsupported_version_is_0021(client, demo_templates):
    assert_error(post_json(client, samples.png(), message("png", version="V3")), 400, "0021")


def test_more_than_one_image_is_0011(client, demo_templates):
    body = message("png")
    body["images"].append({"format": "png", "name": "second", "data": "aGVsbG8="})

    body_text = assert_error(post_json(client, samples.png(), body), 400, "0011")

    assert "one image" in body_text["message"]


@pytest.mark.parametrize("file_format", ["gif", "bmp", ""])
def test_an_unsupported_format_is_0011(client, demo_templates, file_format):
    assert_error(post_json(client, samples.png(), message(file_format)), 400, "0011")


def test_a_file_it_cannot_read_is_0011(client, demo_templates):
    assert_error(post_json(client, b"\x89PNG\r\n\x1a\nthis is not a png", message("png")), 400, "0011")


def test_missing_data_is_0011(client, demo_templates):
    assert_error(post_json(client, None, message("png")), 400, "0011")


def test_an_image_over_20_mb_is_refused(client, demo_templates):
    oversized = samples.jpeg()[:-2] + b"\0" * (20 * 1024 * 1024) + b"\xff\xd9"

    body = assert_error(post_multipart(client, oversized, message("jpg")), 400, "0011")

    assert "20 MB" in body["message"]


def test_a_pdf_over_5_pages_is_refused_for_template_ocr(client, demo_templates):
    body = assert_error(post_multipart(client, samples.pdf(6), message("pdf")), 400, "0011")

    assert "at most 5 pages" in body["message"]


def test_no_template_deployed_is_1021(client):
    assert_error(post_multipart(client, samples.png(), message("png")), 500, "1021")


def test_template_ids_naming_no_deployed_template_is_1021(client, demo_templates):
    body = message("png", image={"templateIds": [999]})

    assert_error(post_multipart(client, samples.png(), body), 500, "1021")


@pytest.mark.parametrize("ids", [[2**31], [10**40], [0], [-5]])
def test_template_ids_no_template_can_have_are_a_request_error(client, demo_templates, ids):
    body = message("png", image={"templateIds": ids})

    assert_error(post_multipart(client, samples.png(), body), 400, "0011")


def test_a_message_nested_too_deep_for_python_is_a_request_error(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        "/ocr/local/infer",
        {"message": "[" * 10_000 + "]" * 10_000, "file": SimpleUploadedFile("demo.png", samples.png())},
        headers={"X-OCR-SECRET": ENGINE_SECRET},
    )
    assert_error(response, 400, "0011")


def test_a_page_matching_no_template_is_a_failure_without_matched_template(client, demo_templates):
    response = post_multipart(client, samples.png(1654, 2339, text="a blank page"), message("png"))

    [image] = response.json()["images"]
    assert image["inferResult"] == "FAILURE"
    assert "No deployed template" in image["message"]
    assert "matchedTemplate" not in image


def test_a_pdf_gives_one_result_per_page_with_converted_image_info(client, demo_templates, demo_samples):
    korean = sample_of(demo_samples, "jpg")
    pages = [Image.open(io.BytesIO(korean.content)).convert("L")] * 2
    buffer = io.BytesIO()
    a4 = 200.0 * pages[0].width / 1654  # whatever the scan's resolution, the PDF page is A4
    pages[0].save(buffer, format="PDF", save_all=True, append_images=pages[1:], resolution=a4)

    images = post_multipart(client, buffer.getvalue(), message("pdf")).json()["images"]

    assert [image["convertedImageInfo"] for image in images] == [
        {"width": 1654, "height": 2339, "pageIndex": 0},
        {"width": 1654, "height": 2339, "pageIndex": 1},
    ]
    assert all(image["matchedTemplate"]["id"] == 390 for image in images)


def test_a_tiff_gives_one_result_per_frame_with_converted_image_info(client, demo_templates, demo_samples):
    sample = sample_of(demo_samples, "tiff", template_id=391)
    frame = Image.open(io.BytesIO(sample.content))

    [image] = post_multipart(client, sample.content, message("tiff")).json()["images"]

    assert image["convertedImageInfo"] == {"width": frame.width, "height": frame.height, "pageIndex": 0}
    assert image["matchedTemplate"]["id"] == 391


def test_a_v1_request_gets_v1_bounding(client, demo_templates, demo_samples):
    response = post_multipart(client, sample_of(demo_samples, "png").content, message("png", version="V1"))

    answer = response.json()
    assert answer["version"] == "V1"
    field = answer["images"][0]["fields"][0]
    assert set(field["bounding"]) == {"top", "left", "width", "height"}
    assert not {"boundingPoly", "type", "subFields", "checked"} & set(field)


def test_a_bad_file_does_not_take_the_server_down(client, demo_templates, demo_samples):
    post_multipart(client, b"%PDF-1.4 broken", message("pdf"))
    bomb = post_multipart(client, samples.decompression_bomb_png(), message("png"))
    assert (bomb.status_code, bomb.json()["code"]) == (400, "0011")

    response = post_multipart(client, sample_of(demo_samples, "png").content, message("png"))

    assert response.status_code == 200
    assert response.json()["images"][0]["inferResult"] == "SUCCESS"


def test_general_reads_every_word_with_line_breaks(client, demo_samples):
    response = post_multipart(client, sample_of(demo_samples, "png").content, message("png"), call="general")

    [image] = response.json()["images"]
    texts = [field["inferText"] for field in image["fields"]]
    assert "청구서" in " ".join(texts)
    assert any(field["lineBreak"] for field in image["fields"])


def test_a_huge_pdf_page_is_rendered_within_the_pixel_budget_one_page_at_a_time(client, demo_templates, settings):
    settings.UPLOAD_MAX_PAGE_PIXELS = 4_000_000
    content = samples.pdf(3, size=(7_700, 7_700))

    response = post_multipart(client, content, message("pdf"), call="general")

    assert response.status_code == 200, response.content
    sizes = [(i["convertedImageInfo"]["width"], i["convertedImageInfo"]["height"]) for i in response.json()["images"]]
    assert len(sizes) == 3
    assert all(width * height <= 4_000_000 and width > 1_500 for width, height in sizes), sizes


def test_a_pdf_whose_page_tree_loops_is_refused_with_a_request_error(client, demo_templates):
    response = post_multipart(client, samples.looping_pdf(), message("pdf"))

    body = assert_error(response, 400, "0011")
    assert "PDF" in body["message"]


def test_a_jpeg_larger_than_the_budget_is_decoded_smaller_and_answered_in_its_own_pixels(
    client, demo_templates, demo_samples, settings
):
    sample = sample_of(demo_samples, "jpg")
    whole = post_multipart(client, sample.content, message("jpg")).json()["images"][0]
    width, height = Image.open(io.BytesIO(sample.content)).size
    settings.UPLOAD_MAX_PAGE_PIXELS = width * height // 3  # decoded at half its width and height

    halved = post_multipart(client, sample.content, message("jpg")).json()["images"][0]

    assert halved["inferResult"] == "SUCCESS"
    for near, far in zip(whole["fields"], halved["fields"], strict=True):
        for a, b in zip(near["boundingPoly"]["vertices"], far["boundingPoly"]["vertices"], strict=True):
            assert abs(a["x"] - b["x"]) < 12 and abs(a["y"] - b["y"]) < 12, (near["name"], a, b)


def test_an_animated_png_is_read_as_its_first_frame(client, demo_templates):
    response = post_multipart(client, samples.animated_png(), message("png"), call="general")

    assert response.status_code == 200 and len(response.json()["images"]) == 1


@pytest.mark.parametrize("mode", ["RGBA", "I;16"])
def test_a_transparent_or_16_bit_png_is_read_as_a_viewer_shows_it(mode):
    from ocrengine import engine

    if mode == "RGBA":  # black ink, drawn by opacity over a transparent black background
        image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
        image.paste((0, 0, 0, 255), (20, 40, 180, 60))
    else:
        image = Image.new("I;16", (200, 100), 65535)
        image.paste(0, (20, 40, 180, 60))
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")

    [page] = engine.decode(buffer.getvalue(), "png")

    assert page.gray[10, 10] > 240 and page.gray[50, 100] < 15


@pytest.mark.parametrize("value", ["false", "true", 1, 0, [], {}])
def test_enable_table_detection_must_be_a_json_boolean(client, value):
    """The string "false" used to turn tables on (read by bool())."""
    body = message("png", enableTableDetection=value)
    assert_error(post_multipart(client, samples.png(), body, call="general"), 400, "0011")
