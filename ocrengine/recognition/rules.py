"""Whether a page registered onto a template shows the template's printed rules where the template has them.

A fit can follow one band of a photographed page and miss its slant: the guided match of a table form kept an
affine map with 182 matches within 3 px, all in the table's upper rows, and left its lower rows 50 px off, where
a checkbox was read empty at 0.99 (probe seed 3, page 15). The rules (box frames, table lines) say so at once:
17% of the template's rule pixels had the page's beside them, against 98% for the fit that followed the slant.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from ocrengine.recognition import images

SCALE = 4  # compared at a quarter of the size: a few milliseconds a page
# Quarter-size pixels darker than this are ink, on a page whose darkest ink is as dark as a template's. At a
# quarter of the size a rule is its ink spread over a block: a 2 px rule split between two blocks is 191, and
# blurred by a phone's shake it is lighter still. At 170 the rules of 6 photographed pages in 240 (tuning seed
# 13) were not seen though their fit was right (0 to 43% in place), so the check refitted them for nothing;
# at 200, none, and a fit 12 px off still scored 29% at most.
INK = 200
# A faint page (pale toner, a light pencil-like print) is held to its own ink: the threshold moves towards
# white as far as the page's darkest ink (DARKEST_SHARE of its pixels) is paler than a template's (DARKEST_INK).
# A page printed at a quarter of a template's contrast shows all its rules; at 5%, none (MIN_CONTRAST).
DARKEST_SHARE = 0.5  # percent of the quarter-size pixels
DARKEST_INK = 64  # a template's, at quarter size
MIN_CONTRAST = 0.15
RULE = 40  # quarter-size pixels of straight ink (160 px on the page): box frames and table lines, not letters
# A fit that slides along the rows keeps the long horizontal rules in place: most forms have few upright rules
# of RULE, as box sides (56 px) are shorter. Upright strokes of UPRIGHT (48 px on the page) show it: 12 px
# sideways, the engine's own fits of tuning seed 13 kept at most 30% of them in place, against 70% at least
# unmoved. A template with fewer than UPRIGHT_LEAST of them is judged by its rules alone.
UPRIGHT = 12
UPRIGHT_LEAST = 200
# Few upright strokes in place count against a fit only when sliding the page sideways (up to SLIDE blocks,
# 48 px) puts clearly more of them in place (SLIDE_GAIN): a photo blurred sideways by a shake loses its thin
# upright strokes wherever its fit puts them (a review: 0-59% in place on exact fits), a fit that slid keeps
# them beside their places.
UPRIGHT_DOUBT = 0.7
SLIDE = 12
SLIDE_GAIN = 0.1
NEAR = np.ones((3, 3), np.uint8)  # a rule a few pixels off still counts
# Ink this thick (20 px on the page) is a shaded area or a filled box, no rule. At 3 × 3 a bold frame of 8–9 px
# came and went with where it fell among the blocks of four, and a fit 1 px off scored 62% (a review).
SOLID = np.ones((5, 5), np.uint8)
# Aligning a page's rules onto the template's (alignment): by OpenCV's ECC on the two masks blurred, at an eighth
# of the size first, where each round is a quarter of the work, then at a quarter to settle. On the slanted photo
# of a table (tuning seed 2026, page 15) it took the rules in place from 38% to 100%, in 100 ms against 240 ms
# at a quarter alone; either way drawn slants of up to 48 px came within 1.5 px.
ALIGN_STEPS = ((2, 2.0), (1, 1.0))  # (a further halving of the quarter size, Gaussian sigma in its pixels)
ALIGN_ROUNDS = 50  # ECC's iterations a step, at most
ALIGN_EPS = 1e-5
# The page's rules for aligning are shorter (64 px on the page): a slant the fit missed breaks an upright rule
# into pieces shorter than RULE, and with no upright rules left the page could slide along its horizontal ones
# (drawn slants of 20 px: fields 5-7 px off at RULE, 1 px at this length).
ALIGN_RULE = 16
# ECC can slide a page a row over, or stretch one column's rules over two: no point of the template's rules may
# move further than this (full-resolution pixels). The slanted table photo moved 55 px, the sideways scan 12.
ALIGN_REACH = 96


@dataclass(frozen=True)
class Reference:
    """A template's rules, as a registered page's are compared with them (quarter size)."""

    rules: np.ndarray  # straight lines of RULE, both ways
    uprights: np.ndarray  # upright strokes of UPRIGHT
    fine: np.ndarray  # straight lines of ALIGN_RULE, both ways: what a page's rules are aligned onto


def reference(gray: np.ndarray) -> Reference:
    """A template's rules, measured as a registered page's are: on the image with its light evened (a shaded
    label cell turns white on the page, so it must on the template too)."""
    ink = _thin_ink(images.even_light(gray))
    masks = Reference(_lines(ink, RULE), _lines(ink, UPRIGHT, across=False), _lines(ink, ALIGN_RULE))
    for mask in (masks.rules, masks.uprights, masks.fine):
        mask.setflags(write=False)  # shared by every page registered onto the template
    return masks


def rule_mask(gray: np.ndarray, length: int = RULE) -> np.ndarray:
    """The long thin straight lines of an image, at quarter size."""
    return _lines(_thin_ink(gray), length)


def _thin_ink(gray: np.ndarray) -> np.ndarray:
    """The ink of an image at quarter size, less its solid areas: a black title band or a filled box is no rule,
    and its many pixels would outweigh the thin lines that show a fit's drift."""
    small = images.shrunk(gray, SCALE)
    dark = (small < _ink_threshold(small)).astype(np.uint8)
    return cv2.subtract(dark, cv2.morphologyEx(dark, cv2.MORPH_OPEN, SOLID))  # the opening lies inside the ink


def _lines(ink: np.ndarray, length: int, *, across: bool = True) -> np.ndarray:
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    if not across:
        return down
    return np.maximum(cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, length), np.uint8)), down)


def _ink_threshold(small: np.ndarray) -> float:
    # A histogram's count, not np.percentile: a tenth of its time
    counts = np.cumsum(np.bincount(small.ravel(), minlength=256))
    darkest = float(np.searchsorted(counts, counts[-1] * DARKEST_SHARE / 100.0)) if small.size else 255.0
    contrast = min(1.0, max(MIN_CONTRAST, (255.0 - darkest) / (255.0 - DARKEST_INK)))
    return 255.0 - (255.0 - INK) * contrast


def agreement(gray: np.ndarray, template_rules: np.ndarray) -> float:
    """The share of the template's rule pixels with a rule of the registered page beside them (1.0: a template
    with no rules has nothing to disagree with). The page is registered at the template's own size."""
    return _share(template_rules, rule_mask(gray))


def held(gray: np.ndarray, template: Reference) -> float:
    """How well the registered page holds the template's rules: the share of them in place (agreement), or of
    the template's upright strokes where that is lower."""
    ink = _thin_ink(gray)
    found = _share(template.rules, _lines(ink, RULE))
    if int(template.uprights.sum()) >= UPRIGHT_LEAST:
        uprights = _lines(ink, UPRIGHT, across=False)
        in_place = _share(template.uprights, uprights)
        if in_place < min(found, UPRIGHT_DOUBT) and _slid(template.uprights, uprights) >= in_place + SLIDE_GAIN:
            found = in_place
    return found


def _slid(template_uprights: np.ndarray, page_uprights: np.ndarray) -> float:
    """The largest share of the template's upright strokes in place with the page slid sideways."""
    near = cv2.dilate(page_uprights, NEAR)
    total = int(template_uprights.sum())
    width = near.shape[1]
    best = 0
    for shift in (*range(-SLIDE, 0), *range(1, SLIDE + 1)):
        page_part = near[:, max(0, -shift) : width - max(0, shift)]  # the page's column c lands on c + shift
        template_part = template_uprights[:, max(0, shift) : width - max(0, -shift)]
        best = max(best, int((template_part & page_part).sum()))
    return best / total


def _share(template_lines: np.ndarray, page_lines: np.ndarray) -> float:
    total = int(template_lines.sum())
    if total == 0:
        return 1.0
    if page_lines.shape != template_lines.shape:
        raise ValueError(f"a page's rules of {page_lines.shape} against a template's of {template_lines.shape}")
    return int((template_lines & cv2.dilate(page_lines, NEAR)).sum()) / total


def alignment(gray: np.ndarray, template_lines: np.ndarray) -> np.ndarray | None:
    """The homography (registered page pixels to template pixels, full resolution) that lays the registered
    page's rules over `template_lines` (the template's Reference.fine), or None when they cannot be aligned
    (a page with no rules, or rules ECC finds no correlation with). For a fit that follows one band of a
    photographed page and lets the rest drift: the rules are the form itself, where the features that placed
    it may lie in one row of the table."""
    page = rule_mask(gray, ALIGN_RULE).astype(np.float32)
    reference = template_lines.astype(np.float32)
    if not page.any() or not reference.any():
        return None
    warp: np.ndarray = np.eye(3, dtype=np.float32)  # template pixels to page pixels, at the current step's size
    previous = None
    for halving, sigma in ALIGN_STEPS:
        if previous is not None:  # the last step's warp, at this step's size
            ratio = np.diag([previous / halving, previous / halving, 1.0]).astype(np.float32)
            warp = ratio @ warp @ np.linalg.inv(ratio)
        size = (reference.shape[1] // halving, reference.shape[0] // halving)
        shown, seen = (_blurred(mask, size, sigma) for mask in (reference, page))
        criteria = (cv2.TERM_CRITERIA_COUNT | cv2.TERM_CRITERIA_EPS, ALIGN_ROUNDS, ALIGN_EPS)
        try:
            everywhere = np.full(shown.shape, 255, np.uint8)  # (the typed binding wants a mask to pass no blur)
            _, found = cv2.findTransformECC(shown, seen, warp, cv2.MOTION_HOMOGRAPHY, criteria, everywhere, 1)
        except cv2.error:  # no correlation to climb, or a warp that degenerated
            return None
        warp = np.asarray(found, np.float32)
        previous = halving
    to_quarter = np.diag([1.0 / SCALE, 1.0 / SCALE, 1.0])
    try:
        correction = np.linalg.inv(to_quarter) @ np.linalg.inv(warp.astype(np.float64)) @ to_quarter
    except np.linalg.LinAlgError:  # a warp that folded the page flat
        return None
    if not np.isfinite(correction).all() or abs(correction[2, 2]) < 1e-12:
        return None
    correction = correction / correction[2, 2]
    return correction if _reach(correction, template_lines) <= ALIGN_REACH else None


def _reach(correction: np.ndarray, template_lines: np.ndarray) -> float:
    """How far the correction moves the corners of the box around the template's rules (full resolution)."""
    rows, columns = np.nonzero(template_lines)
    top, bottom, left, right = (float(edge) * SCALE for edge in (rows.min(), rows.max(), columns.min(), columns.max()))
    corners = np.array([[left, top], [right, top], [right, bottom], [left, bottom]]).reshape(-1, 1, 2)
    moved = cv2.perspectiveTransform(corners, correction)
    return float(np.abs(moved - corners).max()) if np.isfinite(moved).all() else float("inf")


def _blurred(mask: np.ndarray, size: tuple[int, int], sigma: float) -> np.ndarray:
    return cv2.GaussianBlur(cv2.resize(mask, size, interpolation=cv2.INTER_AREA), (0, 0), sigma)
