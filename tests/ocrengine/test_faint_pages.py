"""A page scanned or copied light (images.restored): its print and its writing pale together, and the engine reads
it as the page at full strength. Real recognizers on generated forms; nothing here is faked."""

import io
import random
from pathlib import Path

import cv2
import numpy as np
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image

from ocrengine import engine
from ocrengine.demo import corpus
from ocrengine.demo.forms import application_form, claim_form, draw_blank
from ocrengine.demo.samples import application_values, claim_values, fill
from ocrengine.recognition import images, register
from ocrengine.template_files import template_import

pytestmark = pytest.mark.django_db

PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "pages"


def scanned_light(image: Image.Image, kept: float, seed: int = 3) -> bytes:
    """The page with `kept` of its contrast left, a little sensor noise, saved as a JPEG at 70 as a scanner would."""
    gray = np.asarray(image.convert("L"), np.float32)
    gray = 255 - (255 - gray) * kept + np.random.default_rng(seed).normal(0, 2, gray.shape)
    _, encoded = cv2.imencode(".jpg", gray.clip(0, 255).astype(np.uint8), [cv2.IMWRITE_JPEG_QUALITY, 70])
    return encoded.tobytes()


def read(content: bytes, file_format: str) -> dict:
    [page] = engine.decode(content, file_format)
    result = engine.infer_page(page, engine.prepared_templates(None))
    assert result["inferResult"] == "SUCCESS"
    return {field["name"]: field for field in result["fields"]}


def png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.mark.parametrize("kept", [0.4, 0.25])
def test_a_form_scanned_light_reads_as_it_does_at_full_strength(demo_templates, kept):
    # At a third of its contrast every value of such a page came back blank, most of them sure (probe seed 60).
    rng = random.Random(41)
    values = claim_values(rng)
    page = fill(claim_form(), values, rng)

    full = read(png(page), "png")
    light = read(scanned_light(page, kept), "jpg")

    for name, field in full.items():
        assert light[name].get("inferText") == field.get("inferText"), name
        assert light[name].get("checked") == field.get("checked"), name
        # as sure as at full strength, give or take what the noise and the JPEG do to the strokes
        assert light[name]["inferConfidence"] == pytest.approx(field["inferConfidence"], abs=0.15), name
    for name in ("name", "phone", "date", "amount"):
        assert light[name]["inferText"] == values[name]


def test_a_japanese_form_scanned_light_keeps_its_values(demo_templates):
    rng = random.Random(42)
    values = application_values(rng)
    page = fill(application_form(), values, rng)

    full = read(png(page), "png")
    light = read(scanned_light(page, 0.25), "jpg")

    # The same values; where a space falls between kanji may move with the blur of a pale JPEG's strokes.
    assert {name: (field.get("inferText") or "").replace(" ", "") for name, field in light.items()} == {
        name: (field.get("inferText") or "").replace(" ", "") for name, field in full.items()
    }
    assert light["phone"]["inferText"] == values["phone"]


def test_an_empty_form_scanned_light_stays_empty(demo_templates):
    """Darkening a pale page darkens its paper's noise with it: an empty form on grainy paper, scanned at a
    third of its contrast, must not fill its fields with what the noise becomes."""
    gray = np.asarray(draw_blank(claim_form()).convert("L"), np.float32)
    grain = cv2.GaussianBlur(np.random.default_rng(8).normal(0, 6, gray.shape), (0, 0), 1.5)
    page = Image.fromarray((gray - np.abs(grain) * 2).clip(0, 255).astype(np.uint8))

    fields = read(scanned_light(page, 0.33), "jpg")

    for name, field in fields.items():
        assert not field.get("inferText"), name
        assert field.get("checked") in (None, False), name


def test_a_page_at_its_usual_contrast_is_left_as_it_is():
    page = np.full((400, 600), 250, np.uint8)
    page[100:110, 50:550] = 30  # a printed rule at a scan's usual darkness
    page[200:260, 50:300] = 140  # a dim photo's grey writing beside it

    assert images.restored(page, 0.0) is page
    dim = (255 - (255 - page.astype(np.float32)) * 0.75).astype(np.uint8)  # a dim photo: its print at 86
    assert images.restored(dim, 0.0) is dim


def test_a_dim_shaken_photo_is_not_taken_for_a_light_scan(tmp_path, demo_templates):
    """A photo of the dense Korean form in dim light, shaken (probe seed 74, page 160): blur turns its thin
    strokes grey, and measured by its darkest 0.5% it stood at 0.49 of its template's contrast, was darkened,
    and lost three values read right. Its boldest print keeps its darkness, and that is what counts."""
    for path in corpus.write_templates(tmp_path):
        template_import(path)
    [page] = engine.decode((PAGES / "dense-ko-dim-shaken-photo.jpg").read_bytes(), "jpg")

    template, registration, _gray = engine.matched(page, engine.prepared_templates(None))
    gray = images.even_light(register.warp(page.gray, registration, template.size))  # as it is before reading

    assert template.id == 430
    contrast = (255 - images.darkest(gray)) / (255 - engine.template_darkest(template))
    assert contrast >= images.FAINT_PAGE
    assert images.restored(gray, engine.template_darkest(template)) is gray


@hypothesis_settings(max_examples=60, deadline=None, derandomize=True)
@given(kept=st.floats(0.05, 0.49), ink=st.integers(0, 60), reference=st.integers(0, 40), seed=st.integers(0, 99))
def test_a_pale_page_is_darkened_back_towards_its_templates_print(kept, ink, reference, seed):
    """Whatever the fade: paper stays paper, no two greys trade places, and the print comes back to RESTORED of
    the template's contrast, as far as MAX_GAIN allows."""
    rng = np.random.default_rng(seed)
    page = np.full((300, 400), 255, np.uint8)
    page[rng.integers(0, 250) :][:20, 20:380] = ink  # print, 20 rows of it: more than DARKEST_SHARE of the page
    page = (page.astype(np.float32) - rng.uniform(0, 30, page.shape) * (page == 255)).astype(np.uint8)
    faded = (255 - (255 - page.astype(np.float32)) * kept).round().astype(np.uint8)

    restored = images.restored(faded, float(reference))

    assert restored[faded == 255].min(initial=255) == 255
    order = np.argsort(faded.ravel(), kind="stable")
    assert np.all(np.diff(restored.ravel()[order].astype(int)) >= 0)
    contrast = (255 - images.darkest(faded)) / (255 - reference)
    wanted = min(images.RESTORED, contrast * images.MAX_GAIN)
    assert (255 - images.darkest(restored)) / (255 - reference) == pytest.approx(wanted, abs=0.03)
