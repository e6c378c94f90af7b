"""Single checkboxes drawn from clear to barely readable, to fit the checkbox confidence on readings that go
wrong and to test the reader with.

On the corpus's pages nearly every checkbox is read right, so a model fitted on them alone learns nothing
(it put every box at 1.0, a grey pen's tick read unticked among them). These tiles run past where the reader
can tell: ticks by a pen from black to the grey of a dry ballpoint, blurred, and empty boxes with specks, a
stray stroke, sensor noise, a shadow and JPEG, the page's light evened out as the engine's is.
"""

import io
import random

import cv2
import numpy as np
from PIL import Image, ImageChops, ImageDraw

from ocrengine.demo.corpus import pen_tick
from ocrengine.recognition import images

Box = tuple[int, int, int, int]
SIDE = 220  # the tile: the box sits at its middle with paper all round, as on a page
AT = 80


def pen_ticked(
    size: int, darkness: int, blur: float, seed: int, *, ticked: bool = True, tint: int = 250
) -> tuple[np.ndarray, Box]:
    """A printed frame `size` px wide, its inside printed in `tint` (forms shade their boxes light grey), ticked
    by the corpus's hand-lettering pen in `darkness` (0 black, 255 paper), blurred by `blur` px."""
    frame = Image.new("L", (SIDE, SIDE), 250)
    ImageDraw.Draw(frame).rectangle([AT, AT, AT + size, AT + size], outline=0, width=2, fill=tint)
    ink = Image.new("L", frame.size, 0)
    if ticked:
        pen_tick(ink, [AT, AT, size, size], random.Random(seed))
    page = np.asarray(ImageChops.darker(frame, Image.composite(Image.new("L", frame.size, darkness), frame, ink)))
    if blur:
        page = cv2.GaussianBlur(page, (0, 0), blur)
    return images.even_light(page), (AT, AT, AT + size, AT + size)


def photographed(page: np.ndarray, *, quality: int, noise: float, seed: int) -> np.ndarray:
    """The tile under a shadow's gradient, with sensor noise, saved as a JPEG and its light evened out."""
    shade = np.linspace(0.55, 1.0, page.shape[1])[None, :]
    noisy = page * shade + np.random.default_rng(seed).normal(0, noise, page.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=quality)
    return images.even_light(np.asarray(Image.open(buffer)))


def stray_marked(size: int, seed: int, tint: int = 250) -> tuple[np.ndarray, Box]:
    """An empty box with what lands in one by accident: specks, a dot, a short stray line of a pen."""
    rng = random.Random(seed)
    page, box = pen_ticked(size, 0, 0, seed, ticked=False, tint=tint)
    tile = Image.fromarray(page)
    draw = ImageDraw.Draw(tile)
    inside = (AT + size * 0.28, AT + size * 0.72)
    for _ in range(rng.randint(0, 4)):
        x, y = rng.uniform(*inside), rng.uniform(*inside)
        radius = rng.uniform(0.3, 1.0) * size / 24
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=rng.randint(0, 200))
    if rng.random() < 0.5:
        x, y = rng.uniform(*inside), rng.uniform(*inside)
        reach = size * 0.44 * rng.uniform(0.05, 0.5)
        angle = rng.uniform(0, np.pi)
        end = (x + reach * np.cos(angle), y + reach * np.sin(angle))
        draw.line([(x, y), end], fill=rng.randint(60, 220), width=rng.randint(1, 3))
    return images.even_light(np.asarray(tile)), box


def stress(count: int, seed: int) -> list[tuple[np.ndarray, Box, bool]]:
    """`count` tiles, half ticked, from clear to past what can be read: (gray, box, ticked)."""
    rng = random.Random(seed)
    tiles = []
    for number in range(count):
        size = rng.choice([24, 32, 40, 48, 56])
        tile_seed = rng.randrange(10**6)
        tint = rng.choice([250, 250, 250, rng.randint(190, 235)])
        if number % 2:
            darkness = rng.randint(0, tint - 25)
            page, box = pen_ticked(size, darkness, rng.choice([0, 0.8, 1.5, 2.2]), tile_seed, tint=tint)
            tiles.append((page, box, True))
            continue
        page, box = stray_marked(size, tile_seed, tint)
        if rng.random() < 0.5:
            page = photographed(page, quality=rng.randint(30, 85), noise=rng.uniform(0, 14), seed=tile_seed)
        tiles.append((page, box, False))
    return tiles
