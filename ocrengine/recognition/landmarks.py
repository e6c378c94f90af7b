"""Whether a page registered onto a template is that form: its printed labels must be where the template has them.

Feature matching alone cannot tell forms of one house style apart when the right one is not deployed: they
share boxes, rules, a title face and many labels, so an undeployed form found 24–278 RANSAC inliers on the
deployed form most like it, and came back as that form with its values read from the wrong places. A form's
own labels tell: each of the template's printed labels (ink outside the fields, ruling lines taken away) is
looked for in the registered page within a few pixels of its place. On 48 pages each of tuning seeds 21 and
23, each registered onto its own template and onto the best other one: on its own, 61–100% of the labels
found; on another, 0–27%. Labels the page does not show (cut off by the scan or the photo) do not count.
"""

from dataclasses import dataclass

import cv2
import numpy as np

from ocrengine.recognition.images import Box
from ocrengine.recognition.register import Registration

SIZE = 2339  # the long side the lengths below are set for (A4 at 200 dpi)
REACH = 30  # how far from its place a label may be found: registration is good to this on a slanted photo
LINE = 60  # ink this long in a straight line is a rule or a box, shared by many forms: not a label
FOUND = 0.5  # a label is found where the page correlates with it this well (normalised, 1 is identical)
LEAST_FOUND = 0.45  # the share of labels a page must show to be the form: between 0.27 and 0.61 above
# A page that does not show enough of them as printed is looked at again with the labels blurred (a shaken
# photo's small labels are grey smears no printed label correlates with), and must then show far more of them.
# Tuning seed 61 and probe seed 60, 160 pages each: three shaken photos of the dense Korean form showed
# 29-39% of its labels as printed and 100% blurred by 1 px, every other page its own form's at 87% or more
# either way; registered onto the best other form, pages showed at most 50% of its labels as printed and 53%
# blurred. On tuning seed 13 and probe seed 22 (160 pages each, not looked at while choosing): own forms 73%
# or more as printed, the best other form at most 33% as printed and 47% blurred.
BLUR = 1.0
LEAST_FOUND_BLURRED = 0.75
FEWEST = 3  # a template with fewer labels than this is not checked: too little to go on


@dataclass(frozen=True)
class Label:
    box: Box
    image: np.ndarray  # the template's pixels there


def labels(reference: np.ndarray, fields: list[Box]) -> list[Label]:
    """The template's printed labels: ink outside the fields and their frames, rules and box edges removed,
    joined into words and lines."""
    scale = max(reference.shape) / SIZE
    ink = (reference < 128).astype(np.uint8)
    margin = max(1, round(4 * scale))
    for left, top, right, bottom in fields:
        ink[max(0, top - margin) : bottom + margin, max(0, left - margin) : right + margin] = 0
    line = max(8, round(LINE * scale))
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (line, 1)))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, line)))
    letters = ((ink > 0) & (across == 0) & (down == 0)).astype(np.uint8)
    joined = cv2.dilate(letters, cv2.getStructuringElement(cv2.MORPH_RECT, (max(3, round(25 * scale)),
                                                                            max(3, round(9 * scale)))))  # fmt: skip
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined)
    found = []
    for number in range(1, count):
        x, y, width, height = (int(v) for v in stats[number, :4])
        if width < 20 * scale or height < 12 * scale or letters[y : y + height, x : x + width].sum() < 60 * scale**2:
            continue  # a speck or a fragment of a frame: too little to correlate
        found.append(Label((x, y, x + width, y + height), reference[y : y + height, x : x + width].copy()))
    return found


def shows(warped: np.ndarray, template_labels: list[Label], registration: Registration, page: tuple[int, int]) -> bool:
    """Whether the page, registered onto the template (`warped`), shows enough of the template's labels near
    their places. Labels outside the page as photographed or scanned (`page`: its height and width) are not
    counted; a page showing too few of them to judge by does not pass, a template with too few is not checked.

    Labels are looked for as printed, then blurred (BLUR), when too few showed as printed: blurred, they
    correlate with another form's labels in the same places more often (up to 53% of them, tuning seeds 21
    and 23), so the share asked of them is higher (LEAST_FOUND_BLURRED)."""
    if len(template_labels) < FEWEST:
        return True
    seen = [label for label in template_labels if _in_view(label.box, registration, page)]
    if len(seen) < FEWEST:
        return False
    if _reaches(warped, seen, LEAST_FOUND):
        return True
    return _reaches(warped, blurred(seen), LEAST_FOUND_BLURRED)


def blurred(template_labels: list[Label]) -> list[Label]:
    return [Label(label.box, cv2.GaussianBlur(label.image, (0, 0), BLUR)) for label in template_labels]


def _reaches(warped: np.ndarray, seen: list[Label], least: float) -> bool:
    """Whether the page shows at least `least` of the labels. They are looked for until the outcome is settled
    either way: each label costs a correlation, and a page has dozens."""
    found = 0
    for looked, label in enumerate(seen, 1):
        found += _found(warped, label)
        if found / len(seen) >= least or (found + len(seen) - looked) / len(seen) < least:
            break
    return found / len(seen) >= least


def _in_view(box: Box, registration: Registration, page: tuple[int, int]) -> bool:
    left, top, right, bottom = box
    corners = registration.to_page(np.array([[left, top], [right, top], [right, bottom], [left, bottom]]))
    height, width = page
    return bool(((corners >= 0) & (corners <= [width, height])).all())


def _share(warped: np.ndarray, seen: list[Label]) -> float:
    return sum(_found(warped, label) for label in seen) / len(seen)


def _found(warped: np.ndarray, label: Label) -> bool:
    """The label shows on the page within REACH of its place."""
    reach = round(REACH * (max(warped.shape) / SIZE))
    height, width = warped.shape
    left, top, right, bottom = label.box
    rows = slice(max(0, top - reach), min(height, bottom + reach))
    window = warped[rows, max(0, left - reach) : min(width, right + reach)]
    if window.shape[0] < label.image.shape[0] or window.shape[1] < label.image.shape[1]:
        return False
    return float(cv2.matchTemplate(window, label.image, cv2.TM_CCOEFF_NORMED).max()) >= FOUND
