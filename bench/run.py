"""`make bench`: the figures the issues ask for, measured on this machine.

Page rendering: a 10-page PDF at 200 dpi through the portal's own rendering service (poppler via
pdf2image one page at a time, thumbnail, storage, database rows), next to `pdftoppm` run directly
on the same file in the same run.
"""

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DATA_DIR"] = tempfile.mkdtemp(prefix="ocrportal-bench-")
os.environ["DJANGO_SETTINGS_MODULE"] = "ocrportal.settings"
os.environ.setdefault("OCRPORTAL_ENV", "development")
os.environ.pop("DATABASE_URL", None)

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from documents.models import Page  # noqa: E402
from documents.services import document_render_pages, document_upload  # noqa: E402
from tests import samples  # noqa: E402

RUNS = 3
PAGES = 10


def scanned_pdf(pages: int) -> bytes:
    """Image-only pages, as scanners make them: A4 at 200 dpi, JPEG-compressed."""
    images = []
    for number in range(pages):
        image = Image.new("L", (1654, 2339), 250)
        draw = ImageDraw.Draw(image)
        for row in range(40):
            draw.rectangle([120, 150 + row * 52, 1530, 190 + row * 52], outline=30, width=2)
            draw.text((140, 160 + row * 52), f"page {number + 1} field {row} value 12345", fill=20)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, format="PDF", save_all=True, append_images=images[1:], resolution=200.0)
    return buffer.getvalue()


def median_seconds(action) -> float:
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        action()
        timings.append(time.perf_counter() - started)
    return statistics.median(timings)


def bench_rendering(label: str, content: bytes, user) -> None:
    document = document_upload(file=io.BytesIO(content), name=f"{label}.pdf", uploaded_by=user).document
    path = Path(document.file.path)

    def portal() -> None:
        Page.objects.filter(document=document).delete()
        document_render_pages(document=document)

    def pdftoppm() -> None:
        with tempfile.TemporaryDirectory() as folder:
            subprocess.run(
                ["pdftoppm", "-r", str(settings.RENDER_DPI), "-png", str(path), f"{folder}/page"], check=True
            )

    ours = median_seconds(portal)
    direct = median_seconds(pdftoppm)
    stored = statistics.mean(page.image.size for page in document.pages.all()) / 1024
    print(
        f"  {label:<8} portal {PAGES / ours:6.2f} pages/s ({ours:5.2f} s)   "
        f"pdftoppm {PAGES / direct:6.2f} pages/s ({direct:5.2f} s)   "
        f"ratio portal/pdftoppm {direct / ours:4.2f}   page image {stored:,.0f} KB"
    )


def main() -> None:
    call_command("migrate", verbosity=0)
    user = get_user_model().objects.create_user("bench")
    print(f"Page rendering: {PAGES}-page PDF at {settings.RENDER_DPI} dpi, median of {RUNS} runs")
    bench_rendering("vector", samples.pdf(PAGES), user)
    bench_rendering("scanned", scanned_pdf(PAGES), user)


if __name__ == "__main__":
    main()
