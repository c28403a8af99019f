"""Read resume files (.txt, .md, .markdown, .json, .pdf) from disk or an upload into a ParsedResume."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from hrlab.domain.resume import ParsedResume, extract_resume
from hrlab.errors import InvalidInput, ResumeParseError
from hrlab.resume_pdf import UNSTORABLE_CHARS, pdf_text

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_NAME_CHARS = 255  # the source_name column, and what file systems allow
SUFFIX_KINDS = {".txt": "text", ".md": "text", ".markdown": "text", ".json": "json", ".pdf": "pdf"}
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# Characters a real Windows-1251 text has beyond ASCII: Cyrillic letters and Russian typography.
_CP1251_EXPECTED = re.compile(r"[а-яёА-ЯЁ«»—–№…“”„‘’•·°\u00a0]")
_LETTERS = re.compile(r"[^\W\d_]+")
_CYRILLIC_LETTER = re.compile(r"[а-яёА-ЯЁ]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")


def read_resume_file(path: Path) -> ParsedResume:
    """Read and parse one resume file; ResumeParseError names the file and the reason."""
    path = Path(path)
    _kind(path.name)
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise _error(path.name, _too_big(size), reason="too_large")
        data = path.read_bytes()
    except OSError as error:
        raise _error(path.name, f"cannot read file: {error.strerror or error}", reason="unreadable") from error
    return read_resume_bytes(data, filename=path.name)


def source_name(filename: str) -> str:
    """The file's own name, safe to store; InvalidInput (nothing is stored) for NUL, control or overlong names."""
    name = re.split(r"[\\/]", filename)[-1] or "upload"  # a browser may send a Windows path
    bad = UNSTORABLE_CHARS.search(name) or _CONTROL.search(name)
    if bad:
        raise InvalidInput(f"filename has the control character U+{ord(bad.group()):04X} at position {bad.start()}; "
                           "rename the file", reason="bad_filename")
    if len(name) > MAX_NAME_CHARS:
        raise InvalidInput(f"filename is {len(name)} characters long, the limit is {MAX_NAME_CHARS}; "
                           f"rename the file ({name[:40]}...)", reason="bad_filename")
    return name


def read_resume_bytes(data: bytes, *, filename: str) -> ParsedResume:
    """Parse an uploaded resume; the suffix of `filename` picks the format."""
    name = source_name(filename)
    kind = _kind(name)
    if len(data) > MAX_FILE_BYTES:
        raise _error(name, _too_big(len(data)), reason="too_large")
    if not data.strip():
        raise _error(name, "file is empty", reason="empty")
    try:
        if kind == "json":
            return ParsedResume.from_json(_storable(_parse_json(_decode_text(data))))
        text = _storable(_decode_text(data)) if kind == "text" else pdf_text(data)
        return extract_resume(text)
    except ResumeParseError as error:
        raise _error(name, error.message, **error.details) from error


def _kind(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIX_KINDS:
        shown = f'"{suffix}"' if suffix else "no suffix"
        raise _error(
            name, f"unsupported file type {shown}; use one of {', '.join(SUFFIX_KINDS)}", reason="unsupported_type"
        )
    return SUFFIX_KINDS[suffix]


def _error(name: str, message: str, **details) -> ResumeParseError:
    return ResumeParseError(f"{name}: {message}", filename=name, **details)


def _too_big(size: int) -> str:
    return f"file is too large: {size} bytes, the limit is {MAX_FILE_BYTES} bytes (5 MB)"


def _decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, or Windows-1251 that reads as Russian."""
    if data.startswith(_UTF16_BOMS):
        try:
            return _newlines(data.decode("utf-16"))
        except UnicodeDecodeError as error:
            raise ResumeParseError(f"is not valid UTF-16 text: {error.reason}", reason="bad_encoding") from error
    if b"\x00" in data:
        raise ResumeParseError("is a binary file, not text (it has NUL bytes)", reason="binary")
    try:
        return _newlines(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        utf8_error = error
    text = data.decode("cp1251", errors="replace")
    if _reads_as_cp1251(text):
        return _newlines(text)
    raise ResumeParseError(
        f"is not UTF-8 or Windows-1251 text (invalid UTF-8 byte 0x{data[utf8_error.start]:02x} "
        f"at offset {utf8_error.start}); save it as UTF-8",
        reason="bad_encoding",
    )


def _reads_as_cp1251(text: str) -> bool:
    """Windows-1251 decodes almost any bytes; accept it only when the result reads as Russian.

    Latin-1 German decoded as cp1251 gives Cyrillic letters inside Latin words ("Mьller"); real
    Russian text has whole Cyrillic words.
    """
    beyond_ascii = [ch for ch in text if ord(ch) > 127]
    if "\ufffd" in text or _CONTROL.search(text) or not beyond_ascii:
        return False
    if sum(1 for ch in beyond_ascii if _CP1251_EXPECTED.match(ch)) < 0.95 * len(beyond_ascii):
        return False
    cyrillic_words = [w for w in _LETTERS.findall(text) if _CYRILLIC_LETTER.search(w)]
    mixed = sum(1 for w in cyrillic_words if _LATIN_LETTER.search(w))
    return bool(cyrillic_words) and mixed <= 0.05 * len(cyrillic_words)


def _newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _storable(value: object, where: str = "") -> object:
    """`value` unchanged when every string in it can be stored; ResumeParseError says where one cannot."""
    if isinstance(value, str):
        bad = UNSTORABLE_CHARS.search(value)
        if bad:
            what = "U+0000 (NUL)" if bad.group() == "\x00" else f"a lone surrogate U+{ord(bad.group()):04X}"
            place = f" in {where}" if where else ""
            raise ResumeParseError(f"has {what}{place} at character {bad.start()}; such text cannot be stored",
                                   reason="unstorable_character")
    elif isinstance(value, dict):
        for key, item in value.items():
            _storable(key, f"a key of {where or 'the object'}")
            _storable(item, f'"{key}"')
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _storable(item, f"{where}[{index}]")
    return value


def _parse_json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ResumeParseError(
            f"is not valid JSON: {error.msg} at line {error.lineno} column {error.colno}", reason="invalid_json"
        ) from error
    except RecursionError as error:
        raise ResumeParseError("is not valid JSON: nested too deeply", reason="invalid_json") from error
    except ValueError as error:  # Python refuses integers over 4,300 digits (CVE-2020-10735)
        limit = sys.get_int_max_str_digits()
        raise ResumeParseError(f"is not valid JSON: a number has more than {limit} digits",
                               reason="invalid_json") from error
