"""A registration that leaves the template's printed rules out of place is made again (rules.py, engine._truer_fit):
a fit that follows one band of a photographed page reads the rest of it from the wrong place, and sure of it.

The corpus's table form, its reference image as the page, real registration."""

import numpy as np
import pytest

from ocrengine import engine
from ocrengine.demo import corpus
from ocrengine.recognition import images, register, rules
from ocrengine.template_files import template_import

pytestmark = pytest.mark.django_db

TABLE = 421  # the tuning part's Japanese table form


@pytest.fixture
def table(tmp_path, demo_templates) -> tuple[np.ndarray, engine.PreparedTemplate]:
    for path in corpus.write_templates(tmp_path):
        template_import(path)
    template = next(t for t in engine.prepared_templates([TABLE]))
    return engine._gray(template.image), template


def _stretched(stretch: float) -> register.Registration:
    """A fit that holds the top of the page and drifts down it: `stretch` of a pixel per pixel."""
    return register.Registration(np.array([[1.0, 0.0, 0.0], [0.0, 1.0 + stretch, 0.0], [0.0, 0.0, 1.0]]), 100)


def _registered(gray: np.ndarray, registration, template) -> np.ndarray:
    return images.even_light(register.warp(gray, registration, template.size))


def test_the_rules_are_in_place_on_the_template_and_out_of_place_on_a_drifting_fit(table):
    gray, template = table
    reference = engine.template_rules(template)

    assert rules.agreement(gray, reference) >= 0.95
    assert rules.agreement(_registered(gray, _stretched(0.002), template), reference) >= 0.9  # 2 px a thousand
    assert rules.agreement(_registered(gray, _stretched(0.04), template), reference) < engine.RULES_IN_PLACE
    assert rules.agreement(gray, np.zeros_like(reference)) == 1.0  # no rules, nothing out of place


def test_a_fit_that_leaves_the_rules_out_of_place_is_made_again(table):
    gray, template = table
    page = engine.PageImage(gray=gray, converted=None)
    drifting = _stretched(0.04)

    registration, registered = engine._truer_fit(
        page, register.features(gray), template, drifting, _registered(gray, drifting, template)
    )

    assert registration is not drifting
    assert rules.agreement(registered, engine.template_rules(template)) >= 0.95
    corner = registration.to_page(np.array([[0.0, float(template.size[1])]]))[0]
    assert np.abs(corner - [0.0, template.size[1]]).max() < 3  # the page is its own template: the identity


def test_a_fit_with_its_rules_in_place_is_kept(table):
    gray, template = table
    page = engine.PageImage(gray=gray, converted=None)
    close = _stretched(0.002)
    registered = _registered(gray, close, template)

    assert engine._truer_fit(page, register.features(gray), template, close, registered) == (close, registered)
