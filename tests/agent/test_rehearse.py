"""Full rehearsals with the real offline models on recorded speech (English corpus, Russian clip)."""

from __future__ import annotations

import json
import os
import wave
from pathlib import Path

import pytest
from sqlalchemy import select

import hrlab
from hrlab.agent.options import InterviewOptions
from hrlab.agent.rehearse import rehearse, summary_text
from hrlab.domain.protocol import parse_server_message
from hrlab.domain.resume import ParsedResume
from hrlab.errors import InvalidInput
from hrlab.store.db import Database
from hrlab.store.migrate import upgrade
from hrlab.store.models import InterviewSession, InterviewTurn
from hrlab.store.resumes import add_parsed
from hrlab.wer import wer

CORPUS = Path(hrlab.__file__).resolve().parents[2] / "shared" / "corpus"
OPTIONS = InterviewOptions(llm_timeout=8.0, assessment_timeout=20.0)


@pytest.fixture(scope="module")
def registry():
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    if not (CORPUS / "manifest.csv").is_file():
        pytest.skip(f"the shared corpus is not at {CORPUS} (clone shared/ beside the repo)")
    from hrlab.providers import ModelRegistry

    registry = ModelRegistry()
    yield registry
    registry.close()


@pytest.fixture
def sqlite_db(tmp_path):
    url = f"sqlite:///{tmp_path / 'hrlab.db'}"
    upgrade(url)
    db = Database(url)
    yield db
    db.dispose()


def _resume(db: Database, resume: ParsedResume) -> int:
    with db.session(write=True) as s:
        return add_parsed(s, resume, source_name="cv.txt").id


def _check_messages(messages: tuple[dict, ...], why: str = "") -> None:
    types = [m["type"] for m in messages]
    assert types[-1] == "interview_complete", why
    for message in messages:
        parse_server_message(json.dumps({k: v for k, v in message.items() if k != "at"}))
    for index, kind in enumerate(types):
        if kind == "question":
            assert types[index + 1] == "ai_speaking_start", f"{types}\n{why}"
    speaking = [t for t in types if t.startswith("ai_speaking")]
    assert speaking == ["ai_speaking_start", "ai_speaking_end"] * (len(speaking) // 2), f"{types}\n{why}"


def _check_files(result) -> None:
    with wave.open(str(result.audio_path), "rb") as wav:
        assert wav.getnframes() > wav.getframerate() * 3  # several seconds of the interviewer
    written = json.loads(result.transcript_path.read_text(encoding="utf-8"))
    assert written["endReason"] == result.end_reason and written["dialogue"][0]["speaker"] == "ai"


@pytest.mark.slow
async def test_english_rehearsal_on_recorded_answers(registry, sqlite_db, tmp_path):
    resume_id = _resume(sqlite_db, ParsedResume(candidate_name="Anna", language="en", skills=("Python", "Django"),
                                                roles=("Backend developer",), years_experience=5.0, raw_text=""))
    answers = [CORPUS / "en_librivox_sns_0890.wav", CORPUS / "en_librivox_sns_0920.wav"]
    result = await rehearse(database=sqlite_db, resume_id=resume_id, answers=answers, registry=registry,
                            speed=2.0, out_dir=tmp_path / "out", options=OPTIONS)
    why = summary_text(result)  # shown when an assertion fails
    assert result.end_reason == "question_limit", why
    said = [line.text.lower() for line in result.dialogue if line.speaker == "candidate"]
    assert any("selfish" in text for text in said) and any("amiable" in text for text in said), why
    ai = [line for line in result.dialogue if line.speaker == "ai"]
    assert ai[0].kind == "opening" and "I am an AI interviewer" in ai[0].text
    assert ai[-1].kind == "closing"
    assert len(result.latencies) == 2 and all(t.voice_to_voice and t.voice_to_voice > 0 for t in result.latencies), why
    _check_messages(result.messages, why)
    _check_files(result)
    summary = summary_text(result)
    assert "question_limit" in summary and "[opening]" in summary and "en_librivox_sns_0890.wav" in summary
    with sqlite_db.session() as s:
        assert s.get(InterviewSession, result.session_id).status == "completed"
        turns = s.scalars(select(InterviewTurn).where(InterviewTurn.session_id == result.session_id)).all()
        assert {t.speaker for t in turns} == {"ai", "candidate"}


@pytest.mark.slow
async def test_russian_rehearsal_speaks_and_hears_russian(registry, sqlite_db, tmp_path):
    resume_id = _resume(sqlite_db, ParsedResume(candidate_name="Иван", language="ru", skills=("Python", "SQL"),
                                                roles=("Аналитик данных",), years_experience=3.0, raw_text=""))
    answers = [CORPUS / "ru_pisets_test_sound.wav"]
    result = await rehearse(database=sqlite_db, resume_id=resume_id, answers=answers, registry=registry,
                            speed=2.0, out_dir=tmp_path / "out", options=OPTIONS)
    why = summary_text(result)  # shown when an assertion fails
    assert result.language == "ru" and result.providers["tts"] == "festival/ru"
    ai = [line for line in result.dialogue if line.speaker == "ai"]
    assert ai[0].text.startswith("Здравствуйте, Иван!") and "Я — ИИ-интервьюер." in ai[0].text, why
    said = " ".join(line.text for line in result.dialogue if line.speaker == "candidate")
    # The clip says "нейронные сети это хорошо"; one word of four may go astray (whisper/base has
    # heard "неэронные" as the clip's chunking varies), the rest must be heard as Russian.
    assert wer("нейронные сети это хорошо", said) <= 0.25, why
    assert result.end_reason == "question_limit", why
    _check_messages(result.messages, why)
    _check_files(result)


async def test_rehearse_refuses_bad_answers(sqlite_db, tmp_path):
    resume_id = _resume(sqlite_db, ParsedResume(candidate_name=None, language="en", skills=("Go",), roles=(),
                                                years_experience=None, raw_text=""))
    with pytest.raises(InvalidInput, match="at least one answer"):
        await rehearse(database=sqlite_db, resume_id=resume_id, answers=[], out_dir=tmp_path)
    (tmp_path / "bad.wav").write_bytes(b"RIFF0000WAVEjunk")
    with pytest.raises(InvalidInput, match="not a readable WAV"):
        await rehearse(database=sqlite_db, resume_id=resume_id, answers=[tmp_path / "bad.wav"], out_dir=tmp_path)
    with pytest.raises(InvalidInput, match="does not exist"):
        await rehearse(database=sqlite_db, resume_id=resume_id, answers=[tmp_path / "none.wav"], out_dir=tmp_path)


def test_the_resume_terms_bias_speech_recognition(registry):
    from hrlab.agent.components import MAX_KEYTERMS, components_for, resume_keyterms
    from hrlab.domain.resume import ParsedResume

    resume = ParsedResume(candidate_name=None, language="ru", skills=("Python", "PostgreSQL", "Python"),
                          roles=("Backend developer",), years_experience=None, raw_text="")
    assert resume_keyterms(resume) == ["Python", "PostgreSQL", "Backend developer"]
    many = ParsedResume(candidate_name=None, language="en", skills=tuple(f"S{i}" for i in range(40)), roles=(),
                        years_experience=None, raw_text="")
    assert len(resume_keyterms(many)) == MAX_KEYTERMS
    components = components_for(registry, "ru", keyterms=resume_keyterms(resume))
    assert components.stt.keyterms == ["Python", "PostgreSQL", "Backend developer"]
