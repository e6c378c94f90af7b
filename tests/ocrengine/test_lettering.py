"""The corpus draws values as print shows them: FreeType's hinting drops whole strokes of some CJK faces at some
sizes (IPAexMincho's 日 at 20 px drawn as 口), and a truth that the ink does not show measures nothing."""

import random

import cv2
import numpy as np
import pytest
from PIL import Image, ImageDraw

from ocrengine.demo import corpus, forms
from ocrengine.demo.fonts import TYPEFACES

MINCHO = next(face for face in TYPEFACES if face.family == "IPAexMincho")
SIZES = range(16, 41, 2)


def _dropped(drawn: Image.Image, char: str, size: int, xy: tuple[float, float], anchor: str) -> float:
    """The share of the glyph's outline (filled at eight times the size, shrunk) with no ink drawn on or
    beside it: a stroke a pixel off counts as drawn, a stroke left out does not."""
    canvas = Image.new("L", (drawn.width * 8, drawn.height * 8), 0)
    typeface = forms.font(MINCHO.path, size * 8, MINCHO.index)
    ImageDraw.Draw(canvas).text((xy[0] * 8, xy[1] * 8), char, font=typeface, fill=255, anchor=anchor)
    outline = np.asarray(canvas.reduce(8)) > 80
    near = cv2.dilate(np.asarray(drawn), np.ones((3, 3), np.uint8))
    return np.count_nonzero(outline & (near < 40)) / np.count_nonzero(outline)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("char", "日三本岡吉")
def test_every_stroke_of_a_value_is_drawn(char, size):
    coverage, corner = forms.lettering(char, MINCHO.path, size, MINCHO.index, (0, 0))

    assert _dropped(coverage, char, size, (-corner[0], -corner[1]), "la") <= 0.05


@pytest.mark.parametrize("size", SIZES)
def test_the_corpus_prints_values_and_cells_with_every_stroke(size):
    line, cell = Image.new("L", (200, 80), 0), Image.new("L", (200, 80), 0)
    corpus._line(line, "日", MINCHO, size, (20.3, 40.6), random.Random(1))
    corpus._letter(cell, "日", MINCHO, size, (100.4, 40.2), random.Random(1), wobble=False)

    assert _dropped(line, "日", size, (20.3, 40.6), "lm") <= 0.05
    assert _dropped(cell, "日", size, (100, 40), "mm") <= 0.05


@pytest.mark.parametrize("anchor", ["mm", "lm", "la"])
def test_a_value_is_printed_where_its_anchor_puts_it(anchor):
    printed, hinted = Image.new("L", (400, 200), 255), Image.new("L", (400, 200), 255)
    forms.write(printed, (200.5, 100.25), "山田 太郎", MINCHO.path, 30, index=MINCHO.index, anchor=anchor)
    typeface = forms.font(MINCHO.path, 30, MINCHO.index)
    ImageDraw.Draw(hinted).text((200.5, 100.25), "山田 太郎", font=typeface, fill=0, anchor=anchor)

    def bounds(image):
        rows, columns = np.nonzero(np.asarray(image) < 128)
        return np.array([columns.min(), rows.min(), columns.max(), rows.max()])

    assert np.abs(bounds(printed) - bounds(hinted)).max() <= 2
