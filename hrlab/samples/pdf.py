"""Hand-built minimal PDFs for tests: one with a text layer, one with only an image (a "scan").

The text layer uses the standard Helvetica font with its upper 128 codes renamed to the
Windows-1251 characters (`/uniXXXX` glyph names), so Russian text extracts too: the glyphs
do not render, but text extraction, which is all a resume reader needs, works.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

PAGE_WIDTH, PAGE_HEIGHT = 612, 792
LINES_PER_PAGE = 48


def text_pdf(lines: Sequence[str]) -> bytes:
    """A valid PDF with a text layer holding `lines` (ASCII and Windows-1251 characters), 48 lines a page."""
    pages = [lines[i:i + LINES_PER_PAGE] for i in range(0, len(lines), LINES_PER_PAGE)] or [[]]
    font_id = 3 + 2 * len(pages)
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>"}
    kids = []
    for index, page_lines in enumerate(pages):
        page_id, content_id = 3 + 2 * index, 4 + 2 * index
        kids.append(f"{page_id} 0 R")
        objects[page_id] = _page(content_id, f"/Font << /F1 {font_id} 0 R >>")
        objects[content_id] = _stream(_text_content(page_lines))
    objects[2] = f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count {len(pages)} >>".encode()
    objects[font_id] = (
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding << /Type /Encoding "
        b"/BaseEncoding /WinAnsiEncoding /Differences [" + _cp1251_differences() + b"] >> >>"
    )
    return _document(objects)


def image_only_pdf() -> bytes:
    """A valid one-page PDF holding only a grey image, like a scan with no text layer."""
    image = b"<< /Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray /BitsPerComponent 8"
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: _page(4, "/XObject << /Im1 5 0 R >>"),
        4: _stream(b"q 468 0 0 648 72 72 cm /Im1 Do Q"),
        5: image + b" /Length 4 >>\nstream\n\x80\x40\x40\x80\nendstream",
    }
    return _document(objects)


def shared_stream_pdf(*, pages: int, spaces: int) -> bytes:
    """A small file that expands: every page shares one compressed content stream of `spaces` blanks."""
    content = zlib.compress(b"BT /F1 11 Tf (Resume) Tj " + b" " * spaces + b" ET", 9)
    font_id = 4 + pages
    objects = {1: b"<< /Type /Catalog /Pages 2 0 R >>", font_id: _HELVETICA,
               3: b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + content + b"\nendstream"}
    for index in range(pages):
        objects[4 + index] = _page(3, f"/Font << /F1 {font_id} 0 R >>")
    kids = " ".join(f"{4 + index} 0 R" for index in range(pages))
    objects[2] = f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>".encode()
    return _document(objects)


def repeated_form_pdf(*, draws: int) -> bytes:
    """One page that draws the same small text form `draws` times: little content, much work."""
    form = _text_content(["Python developer"] * 20)
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        3: _page(4, "/Font << /F1 6 0 R >> /XObject << /Fm1 5 0 R >>"),
        4: _stream(b"/Fm1 Do\n" * draws),
        5: (b"<< /Type /XObject /Subtype /Form /BBox [0 0 612 792] /Resources << /Font << /F1 6 0 R >> >> "
            b"/Length %d >>\nstream\n" % len(form) + form + b"\nendstream"),
        6: _HELVETICA,
    }
    return _document(objects)


_HELVETICA = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def _page(content_id: int, resources: str) -> bytes:
    return (
        f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {PAGE_WIDTH} {PAGE_HEIGHT}] "
        f"/Resources << {resources} >> /Contents {content_id} 0 R >>"
    ).encode()


def _text_content(lines: Sequence[str]) -> bytes:
    shown = " ".join(f"({_escape(line)}) Tj T*" for line in lines)
    return f"BT /F1 11 Tf 14 TL 56 {PAGE_HEIGHT - 60} Td {shown} ET".encode("cp1251")


def _cp1251_differences() -> bytes:
    """`/Differences` entries naming each upper code by its Windows-1251 character."""
    entries = []
    for code in range(0x80, 0x100):
        char = bytes([code]).decode("cp1251", errors="ignore")
        if char:
            entries.append(f"{code} /uni{ord(char):04X}")
    return " ".join(entries).encode()


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def _stream(content: bytes) -> bytes:
    return b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream"


def _document(objects: dict[int, bytes]) -> bytes:
    """Serialize numbered objects with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n" % number + objects[number] + b"\nendobj\n"
    xref_at = len(out)
    count = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % count
    for number in range(1, count):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (count, xref_at)
    return bytes(out)
