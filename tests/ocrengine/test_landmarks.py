"""A page is a deployed form only if it shows that form's printed labels (ocrengine/recognition/landmarks.py).

Real pages from the corpus generator, real registration, through `/ocr/local/infer`.
"""

import numpy as np
import pytest
from django.test import Client

from ocrengine import engine
from ocrengine.demo import corpus
from ocrengine.demo.fonts import TUNE
from ocrengine.models import EngineTemplate
from ocrengine.recognition import landmarks
from ocrengine.template_files import template_import
from tests.ocrengine.conftest import message, post_multipart

pytestmark = pytest.mark.django_db

SLUGS = ("claim-form", "table-ja", "dense-ko")


@pytest.fixture(scope="module")
def pages() -> list[corpus.CorpusSample]:
    """One printed, scanned page and one hand-lettered, photographed page of each of three tuning forms."""
    samples = corpus.generate(TUNE, 12, seed=31)
    return [s for s in samples if s.layout in SLUGS]


@pytest.fixture
def deployed(tmp_path, demo_templates) -> None:
    for path in corpus.write_templates(tmp_path):
        template_import(path)


def infer(client: Client, sample: corpus.CorpusSample) -> dict:
    return post_multipart(client, sample.content, message(sample.file_format)).json()["images"][0]


def test_each_page_is_matched_to_its_own_deployed_form(client, deployed, pages):
    assert {(s.layout, s.distortion) for s in pages} == {(slug, d) for slug in SLUGS for d in ("scan", "photo")}
    for sample in pages:
        image = infer(client, sample)

        assert image["inferResult"] == "SUCCESS", sample.name
        assert image["matchedTemplate"]["id"] == sample.template_id


def test_a_form_whose_template_is_not_deployed_matches_none_of_the_forms_like_it(client, deployed, pages):
    # Forms of one house style: the page found 24–278 feature matches on the deployed form most like it,
    # and came back as that form, its values read from the wrong places.
    for sample in pages:
        EngineTemplate.objects.filter(id=sample.template_id).update(deployed=False)
        image = infer(client, sample)
        EngineTemplate.objects.filter(id=sample.template_id).update(deployed=True)

        assert image["inferResult"] == "FAILURE", (sample.name, image.get("matchedTemplate"))
        assert "matchedTemplate" not in image
        assert image["fields"] == []


def reference(template_id: int) -> tuple[np.ndarray, engine.PreparedTemplate]:
    template = next(t for t in engine.prepared_templates([template_id]))
    return engine._gray(template.image), template


def test_a_template_shows_all_its_labels_and_a_blank_page_none(deployed):
    gray, template = reference(390)

    assert len(template.labels) >= landmarks.FEWEST
    assert landmarks.share_found(gray, list(template.labels)) == 1.0
    assert landmarks.share_found(np.full_like(gray, 255), list(template.labels)) == 0.0


def test_labels_are_the_printed_words_not_the_fields_or_the_rules(deployed):
    gray, template = reference(390)
    fields = [engine._box(field) for field in template.definition["fields"]]

    for label in template.labels:
        left, top, right, bottom = label.box
        assert right - left < gray.shape[1] // 2  # no rule or frame spanning the page
        for f_left, f_top, f_right, f_bottom in fields:
            inside = f_left <= (left + right) / 2 <= f_right and f_top <= (top + bottom) / 2 <= f_bottom
            assert not inside


def test_a_template_with_too_few_labels_to_judge_by_is_not_checked():
    blank = np.full((2339, 1654), 255, np.uint8)
    blank[100:140, 100:300] = 0  # one block of ink: one label

    found = landmarks.labels(blank, [])
    assert len(found) < landmarks.FEWEST
    assert landmarks.share_found(np.full_like(blank, 255), found) == 1.0
