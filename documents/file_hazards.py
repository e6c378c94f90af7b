"""What an accepted file carries besides its pages: bytes after the image's end, and active PDF content.

Neither stops an upload (scanners and mail gateways do produce such files, and the original is kept verbatim),
but either can be a file built to be something else as well: a JPEG that is also a web page, a PDF that runs
a script or starts a program when opened. Reviewers are told, and the original is only ever a download.
"""

import mmap
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from django.utils.translation import gettext_lazy as _

from documents.models import FileFormat

TRAILING_DATA = "trailing_data"
PDF_JAVASCRIPT = "pdf_javascript"
PDF_LAUNCH = "pdf_launch"
PDF_EMBEDDED_FILES = "pdf_embedded_files"

MESSAGES = {
    TRAILING_DATA: _("The file has %(bytes)s bytes of other data after the end of its image or PDF."),
    PDF_JAVASCRIPT: _("The PDF contains JavaScript (scripts a PDF viewer may run when it is opened)."),
    PDF_LAUNCH: _("The PDF contains an action that starts a program or opens another file."),
    PDF_EMBEDDED_FILES: _("The PDF carries attached files."),
}

# Cameras and scanners pad files to a block with zero bytes; that is not data.
_PADDING = b"\x00\t\n\r\f "
_MAX_DEPTH = 32  # nested direct dictionaries inside one PDF object; deeper is not a real document


@dataclass(frozen=True)
class Hazard:
    code: str
    bytes: int | None = None

    def as_dict(self) -> dict:
        return {"code": self.code, **({"bytes": self.bytes} if self.bytes is not None else {})}


def describe(hazard: dict) -> str:
    """A stored hazard in words, in the language of the request that shows it."""
    message = MESSAGES.get(hazard.get("code"))
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
    """How many bytes follow the end of the JPEG, PNG or PDF in `data` (bytes or a memory map), padding aside."""
    end = _data_end(data, file_format)
    if end is None or end >= len(data):
        return 0
    return len(data[end:].rstrip(_PADDING))


def _data_end(data, file_format: str) -> int | None:
    if file_format == FileFormat.JPG:
        return jpeg_end(data)
    if file_format == FileFormat.PNG:
        return png_end(data)
    if file_format == FileFormat.PDF:
        return pdf_end(data)
    return None


def jpeg_end(data, start: int = 0) -> int:
    """Where the JPEG starting at `start` ends (just after its EOI marker); further JPEGs right behind it, as a
    camera's MPO file holds, belong to it. len(data) when it never ends (intake has refused truncated files)."""
    end = _one_jpeg_end(data, start)
    while end is not None and data[end : end + 3] == b"\xff\xd8\xff":
        end = _one_jpeg_end(data, end)
    return len(data) if end is None else end


def _one_jpeg_end(data, start: int) -> int | None:
    position = start + 2  # after SOI
    size = len(data)
    while position + 2 <= size:
        if data[position] != 0xFF:
            return None
        marker = data[position + 1]
        if marker == 0xFF:  # fill byte before a marker
            position += 1
            continue
        if marker == 0xD9:  # EOI
            return position + 2
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # markers without a length
            position += 2
            continue
        if position + 4 > size:
            return None
        position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
        if marker == 0xDA:  # start of scan: entropy-coded data runs to the next marker that is not a restart
            position = _next_marker(data, position)
            if position is None:
                return None
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


def png_end(data) -> int:
    """Just after the IEND chunk; len(data) when there is none."""
    position = 8
    while position + 8 <= len(data):
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        position += 12 + length
        if kind == b"IEND":
            return position
    return len(data)


_PDF_TAIL = re.compile(rb"startxref\s+\d+\s+%%EOF")


def pdf_end(data) -> int:
    """Just after the last `startxref <offset> %%EOF`, where a PDF reader starts reading it from its end."""
    last = data.rfind(b"startxref")
    while last >= 0:
        match = _PDF_TAIL.match(data, last)
        if match:
            return match.end()
        last = data.rfind(b"startxref", 0, last)
    return len(data)


def pdf_active_content(path: Path) -> list[str]:
    """The kinds of active content anywhere in the PDF: every object is looked at, those packed in compressed
    object streams too (qpdf, through pikepdf, unpacks them), with names decoded (`/J#61vaScript`)."""
    found: set[str] = set()
    try:
        with pikepdf.open(path) as pdf:
            for obj in pdf.objects:
                _look(obj, found, 0)
    except pikepdf.PdfError:
        return []  # poppler opened it for intake; what qpdf cannot parse, a viewer will not run either
    return sorted(found, key=list(MESSAGES).index)


def _look(obj, found: set[str], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(obj, pikepdf.Stream):
        obj = obj.stream_dict
    if isinstance(obj, pikepdf.Dictionary):
        keys = set(obj.keys())
        action = obj.get("/S")
        if "/JS" in keys or "/JavaScript" in keys or action == "/JavaScript" or "/XFA" in keys:
            found.add(PDF_JAVASCRIPT)
        if action == "/Launch":
            found.add(PDF_LAUNCH)
        if "/EmbeddedFiles" in keys or "/EF" in keys or obj.get("/Type") == "/EmbeddedFile":
            found.add(PDF_EMBEDDED_FILES)
        children = (obj[key] for key in keys)
    elif isinstance(obj, pikepdf.Array):
        children = iter(obj)
    else:
        return
    for child in children:
        if isinstance(child, pikepdf.Dictionary | pikepdf.Array | pikepdf.Stream) and not child.is_indirect:
            _look(child, found, depth + 1)
