"""Every kind of bad upload the portal must refuse, with the code it answers."""

from functools import cache

import pytest

from tests import samples


def _cached(make):
    return cache(make)


BAD_INPUTS = [
    ("empty", "empty.png", lambda: b"", "empty_file"),
    ("truncated png", "cut.png", samples.truncated_png, "truncated_file"),
    ("jpeg cut in half", "half.jpg", samples.half_jpeg, "truncated_file"),
    ("html renamed png", "page.png", samples.html_named_png, "unsupported_format"),
    ("svg renamed png", "drawing.png", samples.svg_named_png, "unsupported_format"),
    ("png header then html", "sneaky.png", samples.png_header_then_html, "corrupt_file"),
    ("encrypted pdf", "locked.pdf", samples.encrypted_pdf, "encrypted_pdf"),
    ("corrupt pdf", "broken.pdf", samples.corrupt_pdf, "corrupt_file"),
    ("pdf of 2000 pages", "long.pdf", _cached(samples.many_pages_pdf), "too_many_pages"),
    ("pdf with gigantic page", "huge.pdf", samples.gigantic_page_pdf, "page_too_large"),
    ("decompression bomb png", "bomb.png", _cached(samples.decompression_bomb_png), "page_too_large"),
    ("tiff of 5000 frames", "frames.tiff", _cached(samples.tiff_with_many_frames), "too_many_pages"),
    ("zip", "scans.zip", samples.zip_file, "unsupported_format"),
    ("pdf whose page tree loops into a 0 x 0 page", "loop.pdf", samples.looping_pdf, "invalid_page_size"),
    ("png of 1 x 60,000 pixels", "sliver.png", _cached(samples.sliver_png), "invalid_page_size"),
    ("pdf page of 2 x 4,000 pt", "sliver.pdf", samples.sliver_pdf, "invalid_page_size"),
    ("animated png", "animation.png", samples.animated_png, "animated_image"),
    ("filename with ../", "../../etc/cron.d/scan.png", samples.png, "unsafe_filename"),
    ("name of 300 characters", "claim " * 49 + ".png", samples.png, "filename_too_long"),
    ("filename with html", '<img src=x onerror="alert(1)">.png', samples.png, "unsafe_filename"),
]

bad_inputs = pytest.mark.parametrize(
    ("name", "make_content", "code"),
    [pytest.param(name, make, code, id=label) for label, name, make, code in BAD_INPUTS],
)
