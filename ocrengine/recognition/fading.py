"""Pages scanned or copied light: how pale a registered page is against its template, and the page darkened
back before its fields are read.

A scanner set light, a faded fax or toner running out leaves the writing as pale as the print: at half its
contrast the fields' ink no longer passed for ink, and 75 of 221 values read right were lost, 9 of them as
sure blanks (probe seed 60, 24 pages); at a third, all but 19. The template shows its print at full strength,
so the page's print, where the template has it, says how pale the page is.

Three levels of the page are read, each where the template says it should be, on every other row and column:

- its print, at the template's print (a small neighbourhood's darkest, so a page registered a few pixels off
  still finds its rules): how pale the page is;
- its writing, in the fields away from their frames: when it is as dark as a page's writing should be, the pale
  print is the form's own colour (a form printed pale from a darker master) and there is nothing to restore;
- its paper marks, away from print and fields: a security tint, grey guide text or paper grain left at full
  strength under pale print would become ink if darkened, so they limit the gain.

Measured where the template has print, one dark mark (a scanner's black border, punch holes, a signature)
no longer hides a faint page, as it did when the page's darkest pixels anywhere were taken.
"""

from dataclasses import dataclass

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # left, top, right, bottom in reference pixels

# Below FAINT_PAGE of the template's contrast the page is darkened back to RESTORED of it, by at most MAX_GAIN.
FAINT_PAGE = 0.6
RESTORED = 0.9
MAX_GAIN = 4.0
# Writing in the fields this dark against the template's print is readable as it is: a page faded to FAINT_PAGE
# has its writing at 0.66 at the most (its pen up to a tenth darker than its template's print).
# Judged field by field, by the median of the fields written in: one black signature or stamp across a field
# of a faint page (a review: 28-36 of 42 values) is not the page written in black.
WRITTEN = 0.75
WRITING_SHARE = 1.0  # percent of a field's pixels: the cores of its writing
SOMETHING_WRITTEN = 0.1  # a field's darkest this deep against the template's print holds writing
# Paper marks no deeper than this many grey levels once darkened: fields count ink from 40 levels under the
# paper (images.FAINT_CONTRAST), and the marks must stay well short of it.
MARKS_LIMIT = 24.0
MARKS_SHARE = 5.0  # percent of the plain paper: a tint or grain covers more, a border or a punch hole less
# Percent of the template's print: its bolder strokes, whose cores blur and a dim light leave dark. Pages as
# generated came to 0.89 of their template's contrast at the least, faded to half to 0.51 at the most (tuning
# seed 61, 40 pages, JPEG at 70); by the median of the print, 0.51 and 0.49.
PRINT_SHARE = 10.0
NEAR = 5  # half-size pixels a page's print may be off its template's (a neighbourhood's darkest is taken)


@dataclass(frozen=True)
class Reference:
    """Where a template's print, fields and plain paper are, on its every other row and column, and how dark
    its print is there."""

    print: np.ndarray  # uint8 masks, 255 where
    fields: np.ndarray
    paper: np.ndarray
    print_level: float
    boxes: tuple[tuple[slice, slice], ...] = ()  # each field's rows and columns on the masks


def _sampled(gray: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(gray[::2, ::2])


def _near_darkest(sample: np.ndarray) -> np.ndarray:
    return cv2.erode(sample, np.ones((NEAR, NEAR), np.uint8))


def level(sample: np.ndarray, mask: np.ndarray, share: float) -> float:
    """The grey level under which `share` percent of the pixels inside `mask` lie (255 when it holds none)."""
    counts = np.cumsum(cv2.calcHist([sample], [0], mask, [256], [0, 256]).ravel())
    if counts[-1] == 0:
        return 255.0
    return float(np.searchsorted(counts, counts[-1] * share / 100.0))


def reference(gray: np.ndarray, fields: list[Box]) -> Reference:
    """The template's masks, from its image with the light evened as a page's is."""
    sample = _sampled(gray)
    printed = np.where(sample < 128, 255, 0).astype(np.uint8)
    boxes = np.zeros_like(printed)
    slices = tuple(
        (slice(top // 2, (bottom + 1) // 2), slice(left // 2, (right + 1) // 2)) for left, top, right, bottom in fields
    )
    for rows, columns in slices:
        boxes[rows, columns] = 255
    around_print = cv2.dilate(printed, np.ones((9, 9), np.uint8))
    writing = cv2.bitwise_and(boxes, cv2.bitwise_not(around_print))
    around_fields = cv2.dilate(boxes, np.ones((9, 9), np.uint8))
    paper = np.where((sample > 200) & (around_print == 0) & (around_fields == 0), 255, 0).astype(np.uint8)
    return Reference(printed, writing, paper, level(_near_darkest(sample), printed, PRINT_SHARE), slices)


@dataclass(frozen=True)
class Paleness:
    contrast: float  # the page's print against its template's, 1 as dark
    writing: float  # the written fields' median darkest writing, against the template's print
    marks: float  # grey levels under the paper of the plain paper's darkest MARKS_SHARE
    gain: float  # what the page is darkened by (1: left as it is)


def paleness(gray: np.ndarray, template: Reference) -> Paleness:
    """How pale the registered page `gray` (light evened) is against its template, and the gain it takes."""
    sample = _sampled(gray)
    depth = max(1.0, 255.0 - template.print_level)
    contrast = (255.0 - level(_near_darkest(sample), template.print, PRINT_SHARE)) / depth
    writing = _writing(sample, template) / depth
    marks = 255.0 - level(sample, template.paper, MARKS_SHARE)
    gain = 1.0
    if contrast < FAINT_PAGE and writing < WRITTEN:
        gain = max(1.0, min(MAX_GAIN, RESTORED / max(contrast, 1e-3), MARKS_LIMIT / max(marks, 1.0)))
    return Paleness(contrast, writing, marks, gain)


def _writing(sample: np.ndarray, template: Reference) -> float:
    """How deep under the paper the writing of the fields written in goes: the median field's darkest."""
    depths = []
    for rows, columns in template.boxes:
        mask = np.ascontiguousarray(template.fields[rows, columns])
        if mask.any():
            depths.append(255.0 - level(np.ascontiguousarray(sample[rows, columns]), mask, WRITING_SHARE))
    written = [found for found in depths if found >= SOMETHING_WRITTEN * (255.0 - template.print_level)]
    return float(np.median(written)) if written else 0.0


def restored(gray: np.ndarray, template: Reference) -> np.ndarray:
    """The registered page darkened back towards its template's print when it is far paler; otherwise the page
    itself."""
    return _darkened(gray, paleness(gray, template).gain)


# A text page has no template: its print is measured against black, where printed text stands once the light
# is evened, inside the lines the detector found (which it finds on a page at a quarter of its contrast). Text
# pages read as well at half their contrast as at full (Korean 605/609 words, tuning seed 61), at a third lost
# 179 of 609: they are darkened from under TEXT_FAINT only.
TEXT_FAINT = 0.45
TEXT_SHARE = 2.0  # percent of the lines' pixels: their letters' cores


def text_gain(gray: np.ndarray, lines: list[Box]) -> float:
    """What a text page (light evened) is darkened by, from the print of its `lines`; 1 when it is dark enough."""
    sample = _sampled(gray)
    inside = np.zeros_like(sample)
    for left, top, right, bottom in lines:
        inside[top // 2 : (bottom + 1) // 2, left // 2 : (right + 1) // 2] = 255
    if not inside.any():
        return 1.0
    contrast = (255.0 - level(sample, inside, TEXT_SHARE)) / 255.0
    if contrast >= TEXT_FAINT:
        return 1.0
    paper = np.where(cv2.dilate(inside, np.ones((9, 9), np.uint8)) == 0, 255, 0).astype(np.uint8)
    marks = 255.0 - level(sample, paper, MARKS_SHARE)
    return max(1.0, min(MAX_GAIN, RESTORED / max(contrast, 1e-3), MARKS_LIMIT / max(marks, 1.0)))


def text_restored(gray: np.ndarray, lines: list[Box]) -> np.ndarray:
    """A text page darkened back when its print is far paler than print should be; otherwise the page itself."""
    return _darkened(gray, text_gain(gray, lines))


def _darkened(gray: np.ndarray, gain: float) -> np.ndarray:
    if gain <= 1.05:
        return gray
    table = np.clip(255.0 - (255.0 - np.arange(256)) * gain, 0, 255).round().astype(np.uint8)
    return cv2.LUT(gray, table)
