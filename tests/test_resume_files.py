"""Reading resume files: every format, every refusal names the file and the reason."""

from __future__ import annotations

import json
import os

import pytest

from hrlab.errors import ResumeParseError
from hrlab.resume_files import MAX_FILE_BYTES, read_resume_bytes, read_resume_file
from hrlab.samples import SAMPLES_DIR
from hrlab.samples.pdf import image_only_pdf, text_pdf

PDF_LINES = [
    "John Smith",
    "Senior Python Developer at Acme Cloud (Jan 2020 - present)",
    "Python Developer at Initech (2016 - 2019)",
    "Skills: Python, Django, PostgreSQL, Docker, Kubernetes",
    "Built billing services (REST APIs) and moved them to Kubernetes; mentored two developers.",
]


def _refusal(call, *args, **kwargs) -> ResumeParseError:
    with pytest.raises(ResumeParseError) as info:
        call(*args, **kwargs)
    return info.value


@pytest.mark.parametrize("name", ["resume_en.md", "resume_ru.txt", "resume_en.json"])
def test_samples_read_from_disk(name):
    resume = read_resume_file(SAMPLES_DIR / name)
    expected = {"resume_en.md": "Anna Petrova", "resume_ru.txt": "Смирнов Дмитрий Алексеевич",
                "resume_en.json": "Maria Lopez"}
    assert resume.candidate_name == expected[name]
    assert resume.language == ("ru" if name.endswith("ru.txt") else "en")
    assert resume.skills and resume.roles and resume.years_experience


def test_markdown_suffixes_and_case(tmp_path):
    text = (SAMPLES_DIR / "resume_en.md").read_text(encoding="utf-8")
    for name in ("cv.markdown", "CV.MD", "cv.Txt"):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert read_resume_file(tmp_path / name).candidate_name == "Anna Petrova"


def test_russian_text_in_windows_1251_and_utf8_bom_and_utf16():
    text = (SAMPLES_DIR / "resume_ru.txt").read_text(encoding="utf-8")
    reference = read_resume_bytes(text.encode("utf-8"), filename="cv.txt")
    for data in (text.encode("cp1251"), b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("utf-16"),
                 text.replace("\n", "\r\n").encode("cp1251")):
        resume = read_resume_bytes(data, filename="cv.txt")
        assert resume == reference
        assert resume.skills and resume.language == "ru"


def test_pdf_text_layer():
    data = text_pdf(PDF_LINES)
    resume = read_resume_bytes(data, filename="john.pdf")
    assert resume.candidate_name == "John Smith"
    assert resume.language == "en"
    assert resume.roles == ("Senior Python Developer", "Python Developer")
    assert resume.skills[:5] == ("Python", "Django", "PostgreSQL", "Docker", "Kubernetes")
    assert "Senior Python Developer at Acme Cloud" in resume.raw_text


def test_russian_pdf_text_layer_reads_like_the_text_file():
    text = (SAMPLES_DIR / "resume_ru.txt").read_text(encoding="utf-8")
    from_pdf = read_resume_bytes(text_pdf(text.splitlines()), filename="смирнов.pdf")
    from_text = read_resume_bytes(text.encode("utf-8"), filename="смирнов.txt")
    assert from_pdf.language == "ru"
    assert (from_pdf.candidate_name, from_pdf.skills, from_pdf.roles, from_pdf.years_experience) == (
        from_text.candidate_name, from_text.skills, from_text.roles, from_text.years_experience)


def test_pdf_on_disk_with_many_pages(tmp_path):
    path = tmp_path / "long.pdf"
    path.write_bytes(text_pdf(PDF_LINES * 20))  # 100 lines, three pages
    resume = read_resume_file(path)
    assert resume.raw_text.count("John Smith") == 20


@pytest.mark.parametrize(
    ("filename", "data", "needles", "reason"),
    [
        ("scan.pdf", image_only_pdf(), ["scan.pdf: PDF has no text layer", "scanned image"], "no_text_layer"),
        ("cv.pdf", b"hello, I am not a pdf", ["cv.pdf: is not a PDF"], "invalid_pdf"),
        ("cv.pdf", text_pdf(PDF_LINES)[:300], ["cv.pdf: is not a readable PDF"], "invalid_pdf"),
        ("cv.docx", b"PK\x03\x04", ['cv.docx: unsupported file type ".docx"', ".txt, .md, .markdown, .json, .pdf"],
         "unsupported_type"),
        ("README", b"text", ["README: unsupported file type no suffix"], "unsupported_type"),
        ("cv.txt", b"", ["cv.txt: file is empty"], "empty"),
        ("cv.txt", b" \n\t\n", ["cv.txt: file is empty"], "empty"),
        ("cv.txt", b"abc\x00\x01def", ["cv.txt: is a binary file"], "binary"),
        ("cv.txt", "Müller Straße Größe Python Entwickler".encode("latin-1"),
         ["cv.txt: is not UTF-8 or Windows-1251 text", "byte 0xfc at offset 1"], "bad_encoding"),
        ("cv.json", b'{"text": "Python developer",}', ["cv.json: is not valid JSON", "line 1 column 29"],
         "invalid_json"),
        ("cv.json", b"[" * 100_000, ["cv.json: is not valid JSON"], "invalid_json"),
        ("cv.txt", b"x" * (MAX_FILE_BYTES + 1), ["cv.txt: file is too large", "the limit is 5242880 bytes"],
         "too_large"),
    ],
)
def test_file_refusals_name_file_and_reason(filename, data, needles, reason):
    error = _refusal(read_resume_bytes, data, filename=filename)
    for needle in needles:
        assert needle in error.message
    assert error.details["filename"] == filename
    assert error.details["reason"] == reason


@pytest.mark.parametrize(
    ("filename", "data", "needle", "field"),
    [
        ("cv.json", b'{"skills": "Python"}', 'cv.json: resume JSON: field "skills" must be a list', "skills"),
        ("cv.json", b'{"text": "Hello", "age": 3}', 'cv.json: resume JSON: unknown field "age"', "age"),
        ("cv.md", "# Привет\nКак дела".encode(), "cv.md: resume is too short to interview on", "text"),
        ("cv.md", "Ὅμηρος ἔγραψε τὴν Ἰλιάδα καὶ τὴν Ὀδύσσειαν".encode(), "cv.md: resume is not in Russian or English",
         "language"),
    ],
)
def test_content_refusals_name_file_and_field(filename, data, needle, field):
    error = _refusal(read_resume_bytes, data, filename=filename)
    assert needle in error.message
    assert error.details == {"filename": filename, "field": field}


def test_upload_name_keeps_only_the_base_name():
    error = _refusal(read_resume_bytes, b"", filename="C:/Users/x/../cv.txt")
    assert error.message.startswith("cv.txt: ")
    error = _refusal(read_resume_bytes, b"", filename="C:\\Users\\x\\cv.txt")
    assert error.message.startswith("cv.txt: ")
    assert _refusal(read_resume_bytes, b"", filename="").message.startswith("upload: unsupported file type")


def test_missing_and_unreadable_files(tmp_path):
    error = _refusal(read_resume_file, tmp_path / "nope.md")
    assert error.message == "nope.md: cannot read file: No such file or directory"
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    assert "folder.txt: cannot read file" in _refusal(read_resume_file, folder).message
    if os.geteuid() != 0:  # root reads anything
        locked = tmp_path / "locked.txt"
        locked.write_text("Python developer", encoding="utf-8")
        locked.chmod(0)
        assert "locked.txt: cannot read file: Permission denied" in _refusal(read_resume_file, locked).message


def test_oversize_file_refused_before_reading(tmp_path):
    path = tmp_path / "huge.pdf"
    with path.open("wb") as file:
        file.truncate(MAX_FILE_BYTES + 1)  # sparse: no 5 MB written
    error = _refusal(read_resume_file, path)
    assert error.message.startswith("huge.pdf: file is too large: 5242881 bytes")


def test_json_file_round_trip(tmp_path):
    resume = read_resume_file(SAMPLES_DIR / "resume_ru.txt")
    path = tmp_path / "ru.json"
    path.write_text(json.dumps(resume.to_json(), ensure_ascii=False), encoding="utf-8")
    assert read_resume_file(path) == resume


def test_pdf_sharing_one_huge_stream_is_refused_before_parsing():
    from hrlab.samples.pdf import shared_stream_pdf

    data = shared_stream_pdf(pages=50, spaces=20_000_000)
    assert len(data) < 40_000
    error = _refusal(read_resume_bytes, data, filename="bomb.pdf")
    assert error.details["reason"] == "pdf_too_complex"
    assert "bomb.pdf: PDF content decompresses to more than 4 MB" in error.message


def test_pdf_drawing_a_form_over_and_over_is_refused():
    from hrlab.resume_pdf import pdf_text
    from hrlab.samples.pdf import repeated_form_pdf

    assert "Python developer" in pdf_text(repeated_form_pdf(draws=2))
    with pytest.raises(ResumeParseError, match="more than 10000 drawing operations") as info:
        pdf_text(repeated_form_pdf(draws=1000), max_operations=10_000)
    assert info.value.details["reason"] == "pdf_too_complex"


def test_pdf_time_budget_stops_the_work():
    from hrlab.resume_pdf import pdf_text

    with pytest.raises(ResumeParseError, match="took longer than 0 s") as info:
        pdf_text(text_pdf(PDF_LINES), max_seconds=0)  # a deadline already past: decided by the check, not the clock
    assert info.value.details["reason"] == "pdf_too_slow"
