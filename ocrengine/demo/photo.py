"""A page as a phone photographs it: lying on a desk, seen at a slant, lit unevenly, partly shadowed, a little
shaken, saved as JPEG."""

import random

import cv2
import numpy as np
from PIL import Image


def photograph(page: Image.Image, rng: random.Random) -> Image.Image:
    return photograph_with_transform(page, rng)[0]


def photograph_with_transform(page: Image.Image, rng: random.Random) -> tuple[Image.Image, np.ndarray]:
    """The photo, and the 3 × 3 map from the page's pixels to the photo's (for measuring registration)."""
    paper = np.asarray(page.convert("L"), dtype=np.float32)
    height, width = paper.shape
    out_width = rng.randint(1500, 2100)
    out_height = round(out_width * rng.uniform(1.30, 1.40))
    # Where the page's corners land in the photo: a margin of desk around it, and a slant.
    margin_x, margin_y = out_width * rng.uniform(0.03, 0.08), out_height * rng.uniform(0.03, 0.07)
    slant = rng.uniform(0.01, 0.06)

    def jitter(x: float, y: float) -> list[float]:
        return [x + rng.uniform(-slant, slant) * out_width, y + rng.uniform(-slant, slant) * out_height]

    corners = np.array(
        [
            jitter(margin_x, margin_y),
            jitter(out_width - margin_x, margin_y),
            jitter(out_width - margin_x, out_height - margin_y),
            jitter(margin_x, out_height - margin_y),
        ],
        dtype=np.float32,
    )
    source = np.array([[0, 0], [width, 0], [width, height], [0, height]], dtype=np.float32)
    transform = cv2.getPerspectiveTransform(source, corners)
    desk = rng.uniform(40, 120)
    photo: np.ndarray = cv2.warpPerspective(
        paper,
        transform,
        (out_width, out_height),
        flags=cv2.INTER_AREA,
        borderMode=cv2.BORDER_CONSTANT,
        borderValue=desk,
    )
    photo *= _light(out_width, out_height, rng)
    if rng.random() < 0.6:
        photo *= _shadow(out_width, out_height, rng)
    if rng.random() < 0.6:
        photo = _shake(photo, rng)
    photo += np.random.default_rng(rng.randint(0, 2**31)).normal(0, rng.uniform(2, 7), photo.shape)
    return Image.fromarray(np.clip(photo, 0, 255).astype(np.uint8)), transform


def _light(width: int, height: int, rng: random.Random) -> np.ndarray:
    """Brighter where the lamp is, darker away from it: a gradient and a soft vignette."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    angle = rng.uniform(0, 2 * np.pi)
    gradient = (xs / width - 0.5) * np.cos(angle) + (ys / height - 0.5) * np.sin(angle)
    darkest = rng.uniform(0.55, 0.85)
    light = 1.0 - (gradient + 0.5) * (1.0 - darkest)
    centre_x, centre_y = rng.uniform(0.3, 0.7) * width, rng.uniform(0.3, 0.7) * height
    distance = np.hypot((xs - centre_x) / width, (ys - centre_y) / height)
    return light * (1.0 - rng.uniform(0.0, 0.25) * np.clip(distance, 0, 1))


def _shadow(width: int, height: int, rng: random.Random) -> np.ndarray:
    """A hand's or a phone's shadow coming in from one edge, with a soft rim."""
    mask = np.zeros((height, width), np.uint8)
    edge = rng.choice(["left", "right", "top", "bottom"])
    depth = rng.uniform(0.15, 0.45)
    if edge in ("left", "right"):
        x = depth * width if edge == "left" else (1 - depth) * width
        far = 0 if edge == "left" else width
        points = [[far, rng.uniform(0, 0.4) * height], [x, rng.uniform(0.2, 0.5) * height],
                  [x + rng.uniform(-0.1, 0.1) * width, rng.uniform(0.6, 0.9) * height], [far, height]]  # fmt: skip
    else:
        y = depth * height if edge == "top" else (1 - depth) * height
        far = 0 if edge == "top" else height
        points = [[rng.uniform(0, 0.4) * width, far], [rng.uniform(0.2, 0.5) * width, y],
                  [rng.uniform(0.6, 0.9) * width, y + rng.uniform(-0.1, 0.1) * height], [width, far]]  # fmt: skip
    cv2.fillPoly(mask, [np.array(points, dtype=np.int32)], 255)
    soft = cv2.GaussianBlur(mask.astype(np.float32) / 255, (0, 0), rng.uniform(8, 30))
    return 1.0 - soft * rng.uniform(0.25, 0.45)


def _shake(photo: np.ndarray, rng: random.Random) -> np.ndarray:
    length = rng.randint(3, 9)
    streak = np.zeros((length, length), np.float32)
    streak[length // 2, :] = 1.0 / length
    rotation = cv2.getRotationMatrix2D((length / 2 - 0.5, length / 2 - 0.5), rng.uniform(0, 180), 1.0)
    kernel: np.ndarray = cv2.warpAffine(streak, rotation, (length, length))
    kernel /= max(kernel.sum(), 1e-6)
    return cv2.filter2D(photo, -1, kernel)
