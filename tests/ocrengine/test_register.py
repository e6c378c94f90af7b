"""Registration: the first pass's fit, and the full match it guides, on a filled claim form photographed
at a slant (a known homography), against the blank form as the template. The photo is also taken at
lower and higher resolution than the template, as a 120 or 300 dpi scan of a 200 dpi form would be."""

import os
import random
from dataclasses import dataclass

import cv2
import numpy as np
import pytest

from ocrengine.demo.forms import claim_form
from ocrengine.demo.samples import claim_values, draw_blank, fill
from ocrengine.recognition import register

# The template's pixels moved by this map (a slant, a turn, a shift), then scaled by the page's resolution.
SLANT = np.array([[0.82, 0.03, 160.0], [-0.025, 0.8, 220.0], [2e-5, 1.5e-5, 1.0]])


@dataclass(frozen=True)
class Page:
    features: register.Features
    template_to_page: np.ndarray  # the truth


@pytest.fixture(scope="module")
def template() -> register.Features:
    return register.features(np.asarray(draw_blank(claim_form()).convert("L")))


@pytest.fixture(scope="module", params=[1.0, 0.6, 1.5], ids=["same-size", "smaller", "larger"])
def page(request) -> Page:
    filled = np.asarray(fill(claim_form(), claim_values(random.Random(3)), random.Random(3)).convert("L"))
    height, width = filled.shape
    truth = np.diag([request.param, request.param, 1.0]) @ SLANT
    size = (round(width * request.param), round(height * request.param))
    photo = cv2.warpPerspective(filled, truth, size, flags=cv2.INTER_AREA, borderValue=255)
    return Page(register.features(photo), truth)


def error_px(registration: register.Registration, page: Page) -> float:
    """The worst distance, in template pixels, between where the fit and the truth put the page's corners."""
    width, height = page.features.size
    corners = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float64).reshape(-1, 1, 2)
    truth = cv2.perspectiveTransform(corners, np.linalg.inv(page.template_to_page))
    found = cv2.perspectiveTransform(corners, registration.page_to_reference)
    return float(np.linalg.norm(truth - found, axis=2).max())


def test_the_first_pass_fit_maps_the_page_onto_the_template(template, page):
    found = register.first_pass(template, page.features)
    assert found is not None and found.inliers >= 15
    # An affine fit of a slanted page from the strongest features alone: near, not exact (the corners of the page
    # lie far from any feature). Its corners land 150-350 px off, by which features win: the same values drawn
    # unhinted moved the larger page's from 201 to 350 px, and the full match still lands within a pixel.
    assert error_px(found, page) < 400
    turned = register.Registration(np.linalg.inv(found.page_to_reference), found.inliers)
    assert error_px(turned, page) > 600


def test_the_guided_match_finds_the_page_as_the_full_match_does(template, page):
    unguided = register.register(page.features, template)
    guided = register.register(page.features, template, guide=register.first_pass(template, page.features))
    assert unguided is not None and guided is not None
    assert error_px(unguided, page) < 3 and error_px(guided, page) < 3


def test_the_guide_limits_the_match_to_features_near_where_it_puts_them(template, page):
    guide = register.first_pass(template, page.features)
    # Half a page to the right: three tiles away, further than a tile's margin reaches.
    shift = np.array([[1.0, 0.0, template.size[0] / 2], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
    misled = register.Registration(shift @ guide.page_to_reference, guide.inliers)
    found = register.register(page.features, template, guide=misled)
    # Every feature is compared only with template features far from its true place: no right match is left.
    assert found is None or error_px(found, page) > 50


def _brute_force(page: np.ndarray, reference: np.ndarray) -> list[tuple[int, int]]:
    """OpenCV's brute-force matcher with the same ratio test: what _matches must agree with."""
    pairs = cv2.BFMatcher(cv2.NORM_HAMMING).knnMatch(page, reference, k=2)
    return [
        (pair[0].queryIdx, pair[0].trainIdx)
        for pair in pairs
        if len(pair) == 2 and pair[0].distance < register.RATIO * pair[1].distance
    ]


@pytest.mark.parametrize("seed", range(12))
def test_descriptor_matches_are_the_brute_force_ones(seed):
    """Random ORB-sized descriptors, a reference that repeats some of its own (ties, as a form's repeated
    boxes give) and pages made partly of noisy copies of it; down to a reference of one feature."""
    rng = np.random.default_rng(seed)
    size = [1, 2, 3, 40, 500, 2500][seed % 6]
    reference = rng.integers(0, 256, (size, 32), dtype=np.uint8)
    if size > 3:
        reference[rng.integers(0, size, size // 5)] = reference[rng.integers(0, size, size // 5)]
    copies = reference[rng.integers(0, size, 300)].copy()
    flips = rng.random(copies.shape) < 0.02
    copies[flips] ^= rng.integers(1, 256, int(flips.sum()), dtype=np.uint8)
    page = np.vstack([copies, rng.integers(0, 256, (200, 32), dtype=np.uint8)])
    found = register._matches(page, reference)
    assert found == _brute_force(page, reference)
    assert size < 2 or len(found) > 100  # the copies do match


def test_a_classification_matches_the_same_page_features_on_real_pages(template, page):
    found = register._matches(page.features.descriptors, template.descriptors)
    assert found == _brute_force(page.features.descriptors, template.descriptors)
    assert len(found) > 200


SEARCH_ON_A_REQUEST_THREAD = """
import os, threading
import numpy as np
from ocrengine.recognition import register

def threads():
    return len(os.listdir("/proc/self/task"))

rng = np.random.default_rng(0)
reference = rng.integers(0, 256, (2500, 32), dtype=np.uint8)
page = rng.integers(0, 256, (6000, 32), dtype=np.uint8)
counts = []

def search():
    counts.append(threads())
    register._matches(page, reference)
    counts.append(threads())

worker = threading.Thread(target=search)
worker.start()
worker.join()
print(counts[0], counts[1])
"""


def test_descriptor_search_stays_on_the_thread_that_asks_for_it():
    """The engine reads on request threads, not the one that imported the module: a search there must start
    no threads of its own (OpenMP's setting per thread would not reach it), in a fresh process that has not
    loaded Tesseract (which limits OpenMP too)."""
    import subprocess
    import sys
    from pathlib import Path

    environment = {key: value for key, value in os.environ.items() if not key.startswith("OMP_")}
    result = subprocess.run(
        [sys.executable, "-c", SEARCH_ON_A_REQUEST_THREAD], capture_output=True, text=True, check=True,
        cwd=Path(__file__).resolve().parents[2], env=environment,
    )  # fmt: skip
    before, after = map(int, result.stdout.split())
    assert after == before


def test_a_blank_page_has_no_features_and_sits_on_no_template(template):
    blank = register.features(np.full((1400, 1000), 255, np.uint8))
    assert blank.keypoints.shape == (0, 2) and blank.keypoints.dtype == np.float32
    assert register.first_pass(template, blank) is None
    assert register.register(blank, template) is None
