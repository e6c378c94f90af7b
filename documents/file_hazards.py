"""What an accepted file carries besides its pages: bytes after the image's end, and active PDF content.

Neither stops an upload (scanners and mail gateways do produce such files, and the original is kept verbatim),
but either can be a file built to be something else as well: a JPEG that is also a web page, a PDF that runs
a script or starts a program when opened. Reviewers are told, and the original is only ever a download.
"""

import json
import logging
import mmap
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from documents.models import FileFormat

logger = logging.getLogger(__name__)

TRAILING_DATA = "trailing_data"
PDF_JAVASCRIPT = "pdf_javascript"
PDF_LAUNCH = "pdf_launch"
PDF_EMBEDDED_FILES = "pdf_embedded_files"
PDF_UNCHECKED = "pdf_unchecked"

MESSAGES = {
    TRAILING_DATA: _(
        "The file has %(bytes)s bytes of other data besides its image or PDF (after its end, or between its parts)."
    ),
    PDF_JAVASCRIPT: _("The PDF contains JavaScript (scripts a PDF viewer may run when it is opened)."),
    PDF_LAUNCH: _("The PDF contains an action that starts a program or opens another file."),
    PDF_EMBEDDED_FILES: _("The PDF carries attached files."),
    PDF_UNCHECKED: _(
        "The PDF is too intricate to be checked completely for scripts and attached files; treat it as if it had them."
    ),
}

# Cameras and scanners pad files to a block with zero bytes; that is not data.
_PADDING = b"\x00\t\n\r\f "


@dataclass(frozen=True)
class Hazard:
    code: str
    bytes: int | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, **({"bytes": self.bytes} if self.bytes is not None else {})}


def describe(hazard: dict) -> str:
    """A stored hazard in words, in the language of the request that shows it."""
    message = MESSAGES.get(hazard.get("code", ""))
    if message is None:
        return str(hazard.get("code", ""))
    return str(message) % {"bytes": f"{hazard.get('bytes') or 0:,}"}


def hazards_find(path: Path, file_format: str) -> list[Hazard]:
    """What the file holds besides its pages; empty for an ordinary file. TIFF has no end marker (its parts may
    sit anywhere in the file), so only JPEG, PNG and PDF are checked for trailing data."""
    found = []
    with path.open("rb") as handle, mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        extra = trailing_bytes(data, file_format)
    if extra:
        found.append(Hazard(TRAILING_DATA, bytes=extra))
    if file_format == FileFormat.PDF:
        found += [Hazard(code) for code in pdf_active_content(path)]
    return found


def trailing_bytes(data, file_format: str) -> int:
    """How many bytes of the JPEG, PNG or PDF in `data` (bytes or a memory map) are not part of it: after its
    end (padding aside), or strayed between a JPEG's segments."""
    end: int | None
    if file_format == FileFormat.JPG:
        end, junk = _jpeg_extent(data)
    else:
        end, junk = _data_end(data, file_format), 0
    if end is None:
        return 0
    return junk + (len(data[end:].rstrip(_PADDING)) if end < len(data) else 0)


def _data_end(data, file_format: str) -> int | None:
    if file_format == FileFormat.PNG:
        return png_end(data)
    if file_format == FileFormat.PDF:
        return pdf_end(data)
    return None


def jpeg_end(data, start: int = 0) -> int:
    """Where the JPEG starting at `start` ends (just after its EOI marker). A camera's MPO file (its first
    picture says so) holds further pictures right behind it, which belong to it when they end properly too;
    anything else behind is data. len(data) when the JPEG never ends (intake has refused truncated files)."""
    return _jpeg_extent(data, start)[0]


def _jpeg_extent(data, start: int = 0) -> tuple[int, int]:
    """(end, stray bytes inside)."""
    first = _one_jpeg_end(data, start)
    if first is None:
        return len(data), 0
    end, multi_picture, junk = first
    while multi_picture and data[end : end + 3] == b"\xff\xd8\xff":
        following = _one_jpeg_end(data, end)
        if following is None:
            break  # only looks like a picture
        end, junk = following[0], junk + following[2]
    return end, junk


def _one_jpeg_end(data, start: int) -> tuple[int, bool, int] | None:
    """(where it ends, whether it declares more pictures (an APP2 segment of MPF), how many stray bytes lie
    between its segments), or None."""
    position = start + 2  # after SOI
    size = len(data)
    multi_picture = False
    junk = 0
    while position + 2 <= size:
        if data[position] != 0xFF:
            # Stray bytes between segments: libjpeg skips them to the next marker and shows the picture, so
            # they are read past here too (and counted: whatever they hold, it is not the picture).
            following = data.find(b"\xff", position)
            if following < 0:
                return None
            junk += following - position
            position = following
            continue
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == 0xD9:  # EOI
            return position + 2, multi_picture, junk
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
            continue
        if position + 4 > size:
            return None
        if marker == 0xE2 and data[position + 4 : position + 8] == b"MPF\x00":
            multi_picture = True
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next marker that is not a restart
            scan_end = _next_marker(data, position)
            if scan_end is None:
                return None
            position = scan_end
    return None


def _next_marker(data, position: int) -> int | None:
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return None
        following = data[position + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7 or following == 0xFF:
            position += 1 if following == 0xFF else 2  # stuffed byte, restart marker, or fill
            continue
        return position


_CHUNK_TYPE = re.compile(rb"[A-Za-z]{4}")


def png_end(data) -> int:
    """Just after the IEND chunk. Where a chunk is not one (no type, or longer than the file), the PNG ended
    before it: the rest is data."""
    position = 8
    while position + 12 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        if not _CHUNK_TYPE.fullmatch(kind) or position + 12 + length > len(data):
            return position
        position += 12 + length
        if kind == b"IEND":
            return position
    return position if position < len(data) else len(data)


# Bounded everywhere: a file can hold thousands of fake trailers, each pointing into a sea of spaces.
_PDF_TAIL = re.compile(rb"startxref\s{1,64}(\d{1,15})\s{1,64}%%EOF")
_XREF = re.compile(rb"\s{0,64}(?:xref|\d{1,10}\s{1,8}\d{1,5}\s{1,8}obj)")
_UPDATE = re.compile(rb"\s{0,64}(?:%[^\r\n]{0,1024}[\r\n]{1,2}\s{0,64}){0,16}(?:xref|\d{1,10}\s{1,8}\d{1,5}\s{1,8}obj)")
MAX_TRAILERS = 1000  # incremental updates a file may carry before the rest counts as not PDF


def pdf_end(data) -> int:
    """Just after the PDF's last trailer (`startxref <offset> %%EOF`) whose offset leads to a cross-reference
    table, and which ends the original file or an incremental update of it (objects and a table appended, the
    table among them). Whatever follows is not PDF, even behind a trailer of its own. With no such trailer,
    after the last %%EOF."""
    end = None
    for number, match in enumerate(_PDF_TAIL.finditer(data)):
        offset = int(match[1])
        if offset >= len(data) or not _XREF.match(data, offset):
            continue
        if end is not None and (number >= MAX_TRAILERS or offset < end or not _UPDATE.match(data, end, match.start())):
            break
        end = match.end()
    if end is None:
        last = data.rfind(b"%%EOF")
        return last + len(b"%%EOF") if last >= 0 else len(data)
    return end


def pdf_active_content(path: Path) -> list[str]:
    """The kinds of active content in the PDF (pdf_scan.py, in a child process under a memory cap and the
    PDF_INSPECT_TIMEOUT); PDF_UNCHECKED when the child could not finish."""
    try:
        result = subprocess.run(
            [sys.executable, "-m", "documents.pdf_scan", str(path)],
            capture_output=True,
            timeout=settings.PDF_INSPECT_TIMEOUT,
            cwd=settings.BASE_DIR,
            check=False,
        )
    except subprocess.TimeoutExpired:
        logger.warning("PDF %s: the active-content check ran out of time", path.name)
        return [PDF_UNCHECKED]
    if result.returncode != 0:  # out of memory, or a file qpdf refuses where poppler reads on
        logger.warning("PDF %s: the active-content check failed: %s", path.name, result.stderr[-300:])
        return [PDF_UNCHECKED]
    return [code for code in json.loads(result.stdout) if code in MESSAGES]
