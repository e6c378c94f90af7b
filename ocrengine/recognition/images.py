"""Pixels before reading: light evened out, box and ruling lines taken away, specks dropped, and a field's ink
cut out as a clean line image for the recognizers."""

import itertools
import math
from collections.abc import Callable

import cv2
import numpy as np

Box = tuple[int, int, int, int]  # left, top, right, bottom in reference pixels
# Judges an upright stroke tall enough to be a rule, by its box (left, top, right, bottom) and pixels in the crop.
IsRule = Callable[[Box, np.ndarray], bool]
MIN_INK_PIXELS = 12


def shrunk(gray: np.ndarray, factor: int) -> np.ndarray:
    """The image at 1/`factor` of its size, each pixel the mean of a factor × factor block.

    Whole blocks only (the last few rows and columns are left out): OpenCV averages an exact fraction in a
    fifth of the time it takes for the image's own size (a page to an eighth: 5.6 → 0.9 ms).
    """
    height, width = max(1, gray.shape[0] // factor), max(1, gray.shape[1] // factor)
    whole = gray[: height * factor, : width * factor]
    return cv2.resize(whole, (width, height), interpolation=cv2.INTER_AREA)


def even_light(gray: np.ndarray) -> np.ndarray:
    """The page divided by its own paper colour: shadows, gradients and grey paper become white.

    The paper colour is the brightest nearby value (ink is thin, paper is everywhere), estimated on an
    eighth-size copy so it costs a few milliseconds for a whole page. The brightest value is then brought back
    as far as it was spread (a closing, not a dilation alone): spread, the lit paper beside a shadow's soft rim
    was taken for the paper inside it, and the rim came out as a grey band across the fields it crossed, read
    as letters in empty fields (`I`, `)a`) and over the writing in full ones. Tuning seed 2026: 36 fields more
    right, 11 fewer.
    """
    height, width = gray.shape
    paper = cv2.morphologyEx(shrunk(gray, 8), cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (9, 9)))
    paper = cv2.medianBlur(paper, 5)
    paper = cv2.resize(np.maximum(paper, 40), (width, height), interpolation=cv2.INTER_LINEAR)
    return cv2.divide(gray, paper, scale=255.0)  # saturates at 255


def snap(gray: np.ndarray, box: Box, reach: int = 24, dark: int = 128) -> Box:
    """The box moved onto its printed frame, when there is one within `reach` pixels.

    Registration is good to a few pixels on most pages, and off by up to about twenty on a slanted photo;
    fields are cut from just inside their frames, so this matters. The frame's two long edges show as peaks
    in the row and column ink profiles; rows and columns are searched in turn, each with the other's shift.
    `dark`: the darkest a pixel of the frame may be (a checkbox's frame printed light grey is a frame too).
    """
    dx = dy = 0
    for _ in range(2):
        dy = _edge_shift(gray, box, dx, dy, reach, dark, rows=True)
        dx = _edge_shift(gray, box, dx, dy, reach, dark, rows=False)
    left, top, right, bottom = box
    return left + dx, top + dy, right + dx, bottom + dy


def _edge_shift(gray: np.ndarray, box: Box, dx: int, dy: int, reach: int, dark: int, *, rows: bool) -> int:
    left, top, right, bottom = box
    height, width = gray.shape
    if rows:  # the box's top and bottom edges, along its (shifted) width
        x0, x1 = max(0, left + dx), min(width, right + dx)
        y0, y1 = max(0, top - reach), min(height, bottom + reach)
        profile = (gray[y0:y1, x0:x1] < dark).sum(axis=1) / max(1, x1 - x0)
        return _best_shift(profile, top - y0, bottom - y0, reach) if profile.size else dy
    y0, y1 = max(0, top + dy), min(height, bottom + dy)
    x0, x1 = max(0, left - reach), min(width, right + reach)
    profile = (gray[y0:y1, x0:x1] < dark).sum(axis=0) / max(1, y1 - y0)
    return _best_shift(profile, left - x0, right - x0, reach) if profile.size else dx


def _best_shift(profile: np.ndarray, start: int, end: int, reach: int) -> int:
    """The shift that puts both edges on the most ink; 0 unless both edges clearly find a line."""
    if len(profile) < 3:
        return 0
    # Each position's ink with its two neighbours', then both edges' at every shift at once.
    near = np.maximum(np.maximum(profile[:-2], profile[1:-1]), profile[2:])  # near[i]: around i + 1
    shifts = np.arange(-reach, reach + 1)
    firsts, seconds = start + shifts, end - 1 + shifts
    fits = (firsts >= 1) & (seconds < len(profile) - 1)
    if not fits.any():
        return 0
    firsts, seconds, shifts = firsts[fits], seconds[fits], shifts[fits]
    scores = np.minimum(near[firsts - 1], near[seconds - 1])
    if scores.max() < 0.6:
        return 0
    # Of equals (a line a pixel or two wide scores alike at every shift that touches it), the one with most ink
    # right on both edges, then the smallest: in a row of small checkboxes each box's neighbours lie within
    # reach and score as well as its own, and a box two pixels short of its frame holds the frame's edge.
    exact = profile[firsts] + profile[seconds]
    ranks = np.lexsort((np.abs(shifts), -exact, -scores))
    return int(shifts[ranks[0]])


# A frame found beyond snap's reach may differ from the template's box by this much in each direction (a slanted
# photo's perspective, which the registration did not follow, stretches it), and its outline must enclose this
# share of its bounding box: a square's does, a letter's or a bracket's does not.
FRAME_SIZE = (0.8, 1.25)
FRAME_FILL = 0.85
FRAME_DARK = 215  # a 1-px rule printed grey (150) and blurred by a photo comes out at about 200


def frame_near(gray: np.ndarray, box: Box, reach: int) -> Box | None:
    """The printed frame of about the box's size nearest to it within `reach` pixels, or None where there is
    none. Beyond snap's reach: a small square is told from the rules and letters around it by its closed
    outline, where a field's two long edges alone could be any line's."""
    left, top, right, bottom = box
    width, height = right - left, bottom - top
    x0, y0 = max(0, left - reach), max(0, top - reach)
    # Lighter than ink elsewhere: a photo's blur leaves a thin rule grey, and a frame needs all four of its sides.
    dark = (crop(gray, (x0, y0, right + reach, bottom + reach)) < FRAME_DARK).astype(np.uint8)
    if width < 4 or height < 4 or not dark.size:
        return None
    # Only straight rules, upright or level, at least half the box long: a tick or a cross run out over the
    # frame would join its outline into a shape of no box's size.
    length = max(3, min(width, height) // 2)
    level = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((1, length), np.uint8))
    upright = cv2.morphologyEx(dark, cv2.MORPH_OPEN, np.ones((length, 1), np.uint8))
    rules = cv2.bitwise_or(level, upright)
    # Outlines and holes alike: a frame's inside edge is a square too, and the one left when its outside merges
    # with ink beside it.
    contours, _ = cv2.findContours(rules, cv2.RETR_LIST, cv2.CHAIN_APPROX_SIMPLE)
    low, high = FRAME_SIZE
    frames = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if low * width <= w <= high * width and low * height <= h <= high * height:
            # A frame is hollow: a filled square (a box blacked in, a bar cut by the crop) is no box's outline.
            hollow = rules[y + h // 4 : y + h - h // 4, x + w // 4 : x + w - w // 4].mean() < 0.5
            # A contour runs through its pixels' middles: a perfect square's encloses (w - 1) × (h - 1), which
            # on a 16-px box is itself only 0.88 of w × h.
            if hollow and cv2.contourArea(contour) >= FRAME_FILL * (w - 1) * (h - 1):
                frames.append((x + x0, y + y0, x + x0 + w, y + y0 + h))
    if not frames:
        return None
    # The nearest frame by its middle, not the best: in a column of boxes each one's frame is as good as the next,
    # and a double frame's inner square is no nearer than its outer.
    middle = ((left + right) / 2, (top + bottom) / 2)
    return min(frames, key=lambda f: math.hypot((f[0] + f[2]) / 2 - middle[0], (f[1] + f[3]) / 2 - middle[1]))


def on_frame(gray: np.ndarray, box: Box, slack: int = 2) -> bool:
    """Whether each of the box's four edges lies on a printed line, within `slack` pixels. A line printed light
    grey counts, as in frame_near: taken for no frame, a small box's was passed over for its neighbour's."""
    left, top, right, bottom = box
    rows = (crop(gray, (left, top - slack, right, bottom + slack)) < FRAME_DARK).mean(axis=1)
    columns = (crop(gray, (left - slack, top, right + slack, bottom)) < FRAME_DARK).mean(axis=0)
    if len(rows) < 2 * slack + 2 or len(columns) < 2 * slack + 2:
        return False
    span = 2 * slack + 1
    edges = rows[:span].max(), rows[-span:].max(), columns[:span].max(), columns[-span:].max()
    return bool(min(edges) >= 0.6)


def crop(gray: np.ndarray, box: Box) -> np.ndarray:
    left, top, right, bottom = box
    height, width = gray.shape
    return gray[max(0, top) : min(height, bottom), max(0, left) : min(width, right)]


def inset(box: Box, amount: int) -> Box:
    left, top, right, bottom = box
    amount = min(amount, (right - left) // 4, (bottom - top) // 4)
    return left + amount, top + amount, right - amount, bottom - amount


def ink_mask(region: np.ndarray, is_rule: IsRule | None = None) -> np.ndarray:
    """Dark pixels, with long horizontal and vertical strokes (box frames, ruling, underlines) taken out; the
    upright ones only where `is_rule` (if given) says they are rules."""
    if region.size == 0:
        return np.zeros((1, 1), np.uint8)
    # A blank crop: Otsu would split paper noise into "ink". (Measured against the paper instead, so ink faded
    # to half its contrast passed, empty fields of photographed tuning pages filled with garbage: 6 in 160.)
    if int(region.min()) > 150:
        return np.zeros(region.shape, np.uint8)
    _, binary = cv2.threshold(region, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return _without_lines(binary, is_rule)


FAINT_CONTRAST = 40  # grey levels under the paper: faded or smudged writing, too faint to pass for ink


def faint_mask(region: np.ndarray, is_rule: IsRule | None = None, contrast: int = FAINT_CONTRAST) -> np.ndarray:
    """Marks `contrast` grey levels darker than the paper or more, however faint (ink_mask's blank crops
    included), lines taken out."""
    if region.size == 0:
        return np.zeros((1, 1), np.uint8)
    paper = float(np.percentile(region, 75))
    return _without_lines(np.where(region < paper - contrast, 255, 0).astype(np.uint8), is_rule)


def stretched(region: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """The region with the marks under `mask` as dark as ink and its paper white: faint writing shown to the
    recognizers as it would be written in a pen."""
    paper = float(np.percentile(region, 75))
    core = float(np.percentile(region[mask > 0], 10)) if mask.any() else paper
    gain = 225.0 / max(1.0, paper - core)
    table = np.clip(255.0 - (paper - np.arange(256)) * gain, 0, 255).round().astype(np.uint8)
    return cv2.LUT(region, table)


def _without_lines(binary: np.ndarray, is_rule: IsRule | None = None) -> np.ndarray:
    height, width = binary.shape
    horizontal = cv2.morphologyEx(
        # Never shorter than two heights: the long stroke of a lone ㅡ or 一 is a letter.
        binary,
        cv2.MORPH_OPEN,
        cv2.getStructuringElement(cv2.MORPH_RECT, (max(15, width // 2, 2 * height), 1)),
    )
    vertical = cv2.morphologyEx(
        binary, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, max(15, int(height * 0.8))))
    )
    if is_rule is not None and vertical.any():
        count, labels, stats, _ = cv2.connectedComponentsWithStats(vertical, connectivity=8)
        for label in range(1, count):
            left, top, w, h, _area = stats[label]
            pixels = labels == label
            if not is_rule((left, top, left + w, top + h), pixels):
                vertical[pixels] = 0
    return cv2.subtract(binary, cv2.bitwise_or(horizontal, vertical))


# How near a crop's edge a frame's remains lie: registration leaves a box's rule a pixel or two inside.
NEAR_EDGE = 2


def despeckle(mask: np.ndarray) -> np.ndarray:
    """Drop specks, and what is left of a box frame after registration and line removal: slivers along the
    crop's edge, a frame's corner, and the broken, blurred remains of a rule or cell divider running along an
    edge a pixel or two inside it (tuning seeds 11 and 21: empty printed multi-boxes read `1`, `111`, `7`)."""
    _count, labels, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    height, width = mask.shape
    # Every piece judged at once: a Python loop over the pieces took 1.7 ms of a page.
    left, top, w, h, area = (stats[:, column].astype(np.int64) for column in range(5))
    touches = (left == 0) | (top == 0) | (left + w >= width) | (top + h >= height)
    sliver = (np.minimum(w, h) <= 3) | ((h <= height * 0.15) & (w >= height))
    near_side = (left <= NEAR_EDGE) | (left + w >= width - NEAR_EDGE)
    near_end = (top <= NEAR_EDGE) | (top + h >= height - NEAR_EDGE)
    # A frame's corner reaches two edges that meet; a letter touching one edge is still a letter.
    corner = near_side & near_end & touches & ((np.maximum(w, h) < height * 0.15) | (area <= 1.3 * (w + h)))
    # A rule's remains run along the edge they lie by: upright by a side, flat by the top or bottom. A
    # letter's stroke that near the edge is a `1` at least 40% of the crop tall, or a dash across it.
    along = ((w <= 3) & near_side & (h < height * 0.4)) | ((h <= 2) & near_end & (w >= 3 * h))
    keep = (area >= 6) & ~(touches & sliver) & ~corner & ~along
    keep[0] = False  # the background
    return np.where(keep[labels], 255, 0).astype(np.uint8)


def ink_lines(mask: np.ndarray, line_height: int = 70) -> list[tuple[int, int]]:
    """The row bands holding lines of ink: one band unless the ink is taller than a line of form text."""
    rows = np.flatnonzero(mask.any(axis=1))
    if rows.size == 0:
        return []
    if rows[-1] - rows[0] + 1 <= line_height:
        return [(int(rows[0]), int(rows[-1]) + 1)]
    bands, start = [], rows[0]
    for previous, row in itertools.pairwise(rows):
        if row - previous > 3:  # a blank strip between two lines
            bands.append((int(start), int(previous) + 1))
            start = row
    bands.append((int(start), int(rows[-1]) + 1))
    # Accents, dots and stray strokes make thin bands of their own: give them to their neighbour.
    merged: list[tuple[int, int]] = []
    for band in bands:
        if merged and (band[1] - band[0] < 12 or merged[-1][1] - merged[-1][0] < 12):
            merged[-1] = (merged[-1][0], band[1])
        else:
            merged.append(band)
    return merged


def ink_line(region: np.ndarray, mask: np.ndarray, band: tuple[int, int]) -> tuple[np.ndarray, int, int]:
    """A line of ink as the recognizers read it best (measured): the evened grey pixels around it, frame
    remains and all, with a margin of a quarter of its height; white where the region ends. Returns the
    image and where its origin lies in the region."""
    top, bottom = band
    columns = np.flatnonzero(mask[top:bottom].any(axis=0))
    left, right = int(columns[0]), int(columns[-1]) + 1
    margin = max(4, (bottom - top) // 4)
    y0, x0 = top - margin, left - margin
    height, width = region.shape
    piece = region[max(0, y0) : min(height, bottom + margin), max(0, x0) : min(width, right + margin)]
    padded = cv2.copyMakeBorder(
        piece, max(0, -y0), max(0, bottom + margin - height), max(0, -x0), max(0, right + margin - width),
        cv2.BORDER_CONSTANT, value=255,
    )  # fmt: skip
    return padded, x0, y0
