"""The text layer of a PDF resume, with the work per file bounded.

A 28 KB PDF can make pypdf parse gigabytes: pages that share one huge compressed stream of spaces,
or a form drawn thousands of times. Three budgets stop such files with a 422 and the reason:
decompressed content bytes (counted before parsing), content operators (counted while parsing),
and wall-clock seconds (checked while parsing, for whatever the first two do not foresee).
"""

from __future__ import annotations

import io
import re
import time

from hrlab.errors import ConfigError, ResumeParseError

MAX_PDF_PAGES = 50
# A text resume page holds 5-50 KB of content and a few hundred operators; 50 dense pages stay under these.
# (pypdf itself stops after 5,000 form invocations, which still takes ~10 s on this machine.)
MAX_PDF_CONTENT_BYTES = 4 * 1024 * 1024
MAX_PDF_OPERATIONS = 100_000
MAX_PDF_SECONDS = 5.0
# PostgreSQL text cannot hold U+0000 and no encoder takes a lone surrogate. pypdf turns glyphs it
# cannot map into either; they carry no text.
UNSTORABLE_CHARS = re.compile(r"[\x00\ud800-\udfff]")


class _Budget:
    """Counts the work done on one file and stops it, with the reason, once a limit is passed."""

    def __init__(self, *, max_bytes: int, max_operations: int, max_seconds: float):
        self.max_bytes, self.max_operations, self.max_seconds = max_bytes, max_operations, max_seconds
        self.bytes = self.operations = 0
        self.deadline = time.monotonic() + max_seconds

    def spend_bytes(self, page) -> None:
        self.bytes += _content_bytes(page)
        if self.bytes > self.max_bytes:
            raise ResumeParseError(
                f"PDF content decompresses to more than {self.max_bytes // (1024 * 1024)} MB; "
                "a text resume needs far less (export it again as a plain PDF or text)", reason="pdf_too_complex")
        self.check_time()

    def spend_operation(self, *_args) -> None:
        self.operations += 1
        if self.operations > self.max_operations:
            raise ResumeParseError(f"PDF has more than {self.max_operations} drawing operations; "
                                   "a text resume needs far fewer", reason="pdf_too_complex")
        if self.operations % 1000 == 0:
            self.check_time()

    def check_time(self) -> None:
        if time.monotonic() > self.deadline:
            raise ResumeParseError(f"PDF took longer than {self.max_seconds:g} s to read; "
                                   "export it again as a plain PDF or text", reason="pdf_too_slow")


def _content_bytes(page) -> int:
    """Decompressed bytes of the page's content and of the forms it may draw (each counted once)."""
    contents = page.get_contents()
    size = len(contents.get_data()) if contents is not None else 0
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    for ref in (xobjects.get_object().values() if xobjects is not None else ()):
        form = ref.get_object()
        if form.get("/Subtype") == "/Form":
            size += len(form.get_data())
    return size


def pdf_text(data: bytes, *, max_bytes: int = MAX_PDF_CONTENT_BYTES, max_operations: int = MAX_PDF_OPERATIONS,
             max_seconds: float = MAX_PDF_SECONDS) -> str:
    """The text layer of every page; a scan without one, or a file over a budget, is refused."""
    try:
        from pypdf import PdfReader
    except ImportError as error:
        raise ConfigError("reading PDF resumes needs pypdf: pip install 'hrlab[api]'") from error
    if b"%PDF-" not in data[:1024]:
        raise ResumeParseError("is not a PDF (no %PDF- header)", reason="invalid_pdf")
    budget = _Budget(max_bytes=max_bytes, max_operations=max_operations, max_seconds=max_seconds)
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ResumeParseError("PDF is password-protected; upload it without a password", reason="encrypted_pdf")
        pages = reader.pages
        if len(pages) > MAX_PDF_PAGES:
            raise ResumeParseError(
                f"PDF has {len(pages)} pages, the limit is {MAX_PDF_PAGES}", reason="too_many_pages"
            )
        texts = []
        for page in pages:
            budget.spend_bytes(page)
            texts.append(page.extract_text(visitor_operand_before=budget.spend_operation) or "")
        text = "\n".join(texts)
    except ResumeParseError:
        raise
    except Exception as error:  # noqa: BLE001 -- pypdf raises many types on malformed input; one bad file must not crash
        raise ResumeParseError(
            f"is not a readable PDF: {type(error).__name__}: {error}", reason="invalid_pdf"
        ) from error
    text = UNSTORABLE_CHARS.sub("", text)
    if not text.strip():
        raise ResumeParseError(
            "PDF has no text layer (a scanned image?); run OCR on it or export the resume as text",
            reason="no_text_layer",
        )
    return text
