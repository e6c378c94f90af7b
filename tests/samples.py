"""Test files, generated on the fly: good documents of every accepted format and every bad input."""

import io
import struct
import zipfile
import zlib

import pikepdf
from PIL import Image, ImageDraw

A4_POINTS = (595, 842)


def png(width: int = 800, height: int = 600, text: str = "ocrportal", mode: str = "RGB") -> bytes:
    image = Image.new(mode, (width, height), "white")
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, width - 20, height - 20], outline="black", width=3)
    draw.text((40, 40), text, fill="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def jpeg(width: int = 640, height: int = 480, orientation: int | None = None, color: str = "white") -> bytes:
    image = Image.new("RGB", (width, height), color)
    ImageDraw.Draw(image).rectangle([0, 0, width // 4, height // 4], fill="red")
    buffer = io.BytesIO()
    if orientation is None:
        image.save(buffer, format="JPEG", quality=90)
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(buffer, format="JPEG", quality=90, exif=exif.tobytes())
    return buffer.getvalue()


def tiff(frames: int = 3, size: tuple[int, int] = (300, 400)) -> bytes:
    images = [Image.new("L", size, 255 - 20 * index) for index in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", save_all=True, append_images=images[1:], compression="tiff_deflate")
    return buffer.getvalue()


def _content(number: int, width: float, height: float) -> bytes:
    return (
        f"0 0 0 RG 2 w 36 36 {width - 72:.0f} {height - 72:.0f} re S "
        f"BT /F1 28 Tf 72 {height - 100:.0f} Td (Page {number}) Tj ET "
        f"BT /F1 12 Tf 72 {height - 140:.0f} Td (Claim form, ocrportal test document) Tj ET"
    ).encode()


def pdf(
    pages: int = 3, size: tuple[float, float] = A4_POINTS, *, encryption: pikepdf.Encryption | None = None
) -> bytes:
    document = pikepdf.new()
    font = document.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica)
    )
    for number in range(1, pages + 1):
        page = pikepdf.Page(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, size[0], size[1]],
                Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
                Contents=document.make_stream(_content(number, *size)),
            )
        )
        document.pages.append(page)
    buffer = io.BytesIO()
    document.save(buffer, encryption=encryption or False)
    return buffer.getvalue()


def encrypted_pdf() -> bytes:
    return pdf(2, encryption=pikepdf.Encryption(user="secret", owner="owner-secret"))


def owner_only_encrypted_pdf() -> bytes:
    """Encrypted with permissions only: opens without a password, like many bank statements."""
    return pdf(
        1, encryption=pikepdf.Encryption(user="", owner="owner-secret", allow=pikepdf.Permissions(extract=False))
    )


def corrupt_pdf() -> bytes:
    return b"%PDF-1.7\n" + bytes(range(256)) * 40 + b"\n%%EOF\n"


def gigantic_page_pdf() -> bytes:
    return pdf(1, size=(14_400, 14_400))


def many_pages_pdf(pages: int = 2000) -> bytes:
    return pdf(pages, size=(200, 200))


def decompression_bomb_png(width: int = 40_000, height: int = 40_000) -> bytes:
    """A tiny file that decodes to width × height pixels (1-bit, all white)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    row = b"\x00" + b"\xff" * ((width + 7) // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


def tiff_with_many_frames(frames: int = 5000) -> bytes:
    """A valid little-endian TIFF of `frames` 4 × 4 grey frames sharing one strip (Pillow writes it too slowly)."""
    width = height = 4
    strip_offset = 8
    strip = b"\x80" * (width * height)
    first_ifd = strip_offset + len(strip)
    entries = [  # tag, type (3 short, 4 long), value
        (256, 3, width),
        (257, 3, height),
        (258, 3, 8),
        (259, 3, 1),
        (262, 3, 1),
        (273, 4, strip_offset),
        (277, 3, 1),
        (278, 3, height),
        (279, 4, len(strip)),
    ]
    ifd_size = 2 + 12 * len(entries) + 4
    out = bytearray(b"II*\x00" + struct.pack("<I", first_ifd) + strip)
    for index in range(frames):
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            packed = struct.pack("<HI", value, 0)[:4] if kind == 3 else struct.pack("<I", value)
            out += struct.pack("<HHI", tag, kind, 1) + packed
        following = first_ifd + (index + 1) * ifd_size if index + 1 < frames else 0
        out += struct.pack("<I", following)
    return bytes(out)


def truncated_png() -> bytes:
    data = png(1200, 900)
    return data[: len(data) // 2]


def half_jpeg() -> bytes:
    data = jpeg(1200, 900, color="#88aacc")
    return data[: len(data) // 2]


def html_named_png() -> bytes:
    return b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def svg_named_png() -> bytes:
    return b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def png_header_then_html() -> bytes:
    return b"\x89PNG\r\n\x1a\n" + html_named_png()


def zip_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("scan.png", png())
    return buffer.getvalue()


def hand_made_pdf(objects: list[bytes], trailer: bytes = b"/Root 1 0 R") -> bytes:
    """A PDF written byte by byte (plain cross-reference table), for shapes no PDF library writes.
    Object N is `objects[N - 1]`."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer<</Size %d %s>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, trailer, table)
    return bytes(out)


def looping_pdf() -> bytes:
    """A page tree that loops back into itself, with a page of 0 × 0 pt (poppler warns and reads on)."""
    return hand_made_pdf(
        [
            b"<</Type/Catalog/Pages 2 0 R>>",
            b"<</Type/Pages/Kids[3 0 R 2 0 R]/Count 2>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 0 0]>>",
        ]
    )


def sliver_png(width: int = 1, height: int = 60_000) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", (width, height), 255).save(buffer, format="PNG")
    return buffer.getvalue()


def sliver_pdf() -> bytes:
    return pdf(1, size=(2, 4_000))


def animated_png(frames: int = 3) -> bytes:
    images = [Image.new("RGB", (400, 300), color) for color in ("white", "#eeeeee", "#dddddd")[:frames]]
    buffer = io.BytesIO()
    images[0].save(buffer, format="PNG", save_all=True, append_images=images[1:], duration=100)
    return buffer.getvalue()


def mpo_jpeg() -> bytes:
    """A camera's multi-picture JPEG: the photo, then a second picture (a preview or depth map)."""
    images = [Image.new("RGB", (640, 480), "white"), Image.new("RGB", (640, 480), "black")]
    buffer = io.BytesIO()
    images[0].save(buffer, format="MPO", save_all=True, append_images=images[1:])
    return buffer.getvalue()


HTML_PAYLOAD = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>\n"


def jpeg_then_html() -> bytes:
    """A JPEG that is also a web page: a browser told to sniff it would run the script."""
    return jpeg() + HTML_PAYLOAD


def png_then_html() -> bytes:
    return png() + HTML_PAYLOAD


def pdf_then_html() -> bytes:
    return pdf(1) + HTML_PAYLOAD


def padded_jpeg() -> bytes:
    """Camera firmware pads files to a block with zero bytes: not data."""
    return jpeg() + b"\x00" * 3000


def active_pdf(kind: str) -> bytes:
    """A one-page PDF with active content, packed the way modern writers pack it (objects inside compressed
    object streams, where a byte search for /JavaScript finds nothing)."""
    document = pikepdf.open(io.BytesIO(pdf(1)))
    if kind == "javascript":
        document.Root.OpenAction = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS="app.alert('hello')")
    elif kind == "launch":
        page = document.pages[0].obj
        page.AA = pikepdf.Dictionary(O=pikepdf.Dictionary(S=pikepdf.Name.Launch, F="calc.exe"))
    elif kind == "embedded":
        attachment = document.make_stream(b"MZ not really a program")
        attachment.Type = pikepdf.Name.EmbeddedFile
        spec = pikepdf.Dictionary(Type=pikepdf.Name.Filespec, F="invoice.exe", EF=pikepdf.Dictionary(F=attachment))
        document.Root.Names = pikepdf.Dictionary(EmbeddedFiles=pikepdf.Dictionary(Names=["invoice.exe", spec]))
    else:
        raise ValueError(kind)
    buffer = io.BytesIO()
    document.save(buffer, object_stream_mode=pikepdf.ObjectStreamMode.generate, compress_streams=True)
    return buffer.getvalue()


def javascript_pdf_with_escaped_name() -> bytes:
    """`/J#61vaScript` is /JavaScript to every PDF reader, and not to a byte search."""
    return hand_made_pdf(
        [
            b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
            b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
            b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>",
            b"<</S/J#61vaScript/J#53(app.alert(1))>>",
        ]
    )
