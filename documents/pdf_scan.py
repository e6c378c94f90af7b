"""Finds active content in a PDF, in a child process of its own (`python -m documents.pdf_scan FILE`): every
object is parsed, and a small file can hold a compressed stream that inflates to gigabytes of objects, so the
child runs under a memory cap and the caller's time limit, and a runaway costs nothing but the child.

Prints a JSON list of the kinds found (file_hazards names them). Django is not loaded: it starts in ~0.1 s.
"""

import json
import re
import resource
import sys

import pikepdf

MEMORY_LIMIT = 1 << 30  # bytes of address space; a real form PDF needs a few tens of MB

_NAME_END = rb"(?=[\s/<>\[\]()]|$)"
# `/S /Launch`, or the action's type kept as an object of its own (`/S 12 0 R`, object 12 being `/Launch`).
ACTIVE = [
    ("pdf_javascript", re.compile(rb"/(?:JS|JavaScript|XFA)" + _NAME_END)),
    ("pdf_launch", re.compile(rb"/S\s*/Launch" + _NAME_END + rb"|^/Launch$")),
    ("pdf_embedded_files", re.compile(rb"/(?:EmbeddedFiles|EmbeddedFile|EF)" + _NAME_END)),
]
_STRING = re.compile(rb"\((?:\\.|[^\\)])*\)", re.DOTALL)  # a literal string, its parentheses escaped


def active_content(path: str) -> list[str]:
    """The kinds of active content anywhere in the PDF. Every object is looked at, those packed in compressed
    object streams too: qpdf (through pikepdf) parses each one, however deeply nested, and writes it back out in
    canonical form, names decoded (`/J#61vaScript` is `/JavaScript`), which is then searched with the strings
    taken out, so a value's text cannot pass for a key."""
    found: set[str] = set()
    with pikepdf.open(path) as pdf:  # a file qpdf refuses is not checked: the caller says so
        # The trailer too: its /Root may be a dictionary written right there, not an object of its own.
        for obj in [pdf.trailer, *pdf.objects]:
            if not isinstance(obj, pikepdf.Object):
                continue  # a number, true/false or null kept as an object of its own (a stream's length)
            body = obj.stream_dict if isinstance(obj, pikepdf.Stream) else obj
            text = _STRING.sub(b"()", body.unparse(resolved=True))
            found.update(code for code, pattern in ACTIVE if pattern.search(text))
    return [code for code, _ in ACTIVE if code in found]


if __name__ == "__main__":
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
    print(json.dumps(active_content(sys.argv[1])))
