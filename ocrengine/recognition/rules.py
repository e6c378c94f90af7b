"""Whether a page registered onto a template shows the template's printed rules where the template has them.

A fit can follow one band of a photographed page and miss its slant: the guided match of a table form kept an
affine map with 182 matches within 3 px, all in the table's upper rows, and left its lower rows 50 px off, where
a checkbox was read empty at 0.99 (probe seed 3, page 15). The rules (box frames, table lines) say so at once:
17% of the template's rule pixels had the page's beside them, against 98% for the fit that followed the slant.
"""

import cv2
import numpy as np

from ocrengine.recognition import images

SCALE = 4  # compared at a quarter of the size: a few milliseconds a page
INK = 170
RULE = 40  # quarter-size pixels of straight ink (160 px on the page): box frames and table lines, not letters
NEAR = np.ones((3, 3), np.uint8)  # a rule a few pixels off still counts
# Ink this thick (20 px on the page) is a shaded area or a filled box, no rule. At 3 × 3 a bold frame of 8–9 px
# came and went with where it fell among the blocks of four, and a fit 1 px off scored 62% (a review).
SOLID = np.ones((5, 5), np.uint8)


def reference_rules(gray: np.ndarray) -> np.ndarray:
    """A template's rules, measured as a registered page's are: on the image with its light evened (a shaded
    label cell turns white on the page, so it must on the template too)."""
    mask = rule_mask(images.even_light(gray))
    mask.setflags(write=False)  # shared by every page registered onto the template
    return mask


def rule_mask(gray: np.ndarray) -> np.ndarray:
    """The long thin straight lines of an image, at quarter size. A solid area (a black title band, a filled
    box) is no rule: its many pixels would outweigh the thin lines that show a fit's drift."""
    dark = (images.shrunk(gray, SCALE) < INK).astype(np.uint8)
    ink = cv2.subtract(dark, cv2.morphologyEx(dark, cv2.MORPH_OPEN, SOLID))  # the opening lies inside the ink
    across = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((1, RULE), np.uint8))
    down = cv2.morphologyEx(ink, cv2.MORPH_OPEN, np.ones((RULE, 1), np.uint8))
    return np.maximum(across, down)


def agreement(gray: np.ndarray, template_rules: np.ndarray) -> float:
    """The share of the template's rule pixels with a rule of the registered page beside them (1.0: a template
    with no rules has nothing to disagree with). The page is registered at the template's own size."""
    total = int(template_rules.sum())
    if total == 0:
        return 1.0
    page = rule_mask(gray)
    if page.shape != template_rules.shape:
        raise ValueError(f"a page of {gray.shape} registered onto a template whose rules are {template_rules.shape}")
    return int((template_rules & cv2.dilate(page, NEAR)).sum()) / total
