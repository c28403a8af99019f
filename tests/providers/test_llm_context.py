"""How much context each local LLM's llama.cpp slots get (no model is loaded here)."""

from __future__ import annotations

from pathlib import Path

import pytest

from hrlab.providers import ModelRegistry
from hrlab.providers.registry import DEFAULT_ASSESSMENT_LLM


@pytest.fixture()
def built(monkeypatch, tmp_path):
    """The keyword arguments each LlamaCppEngine was built with, by model."""
    pytest.importorskip("livekit.agents")
    import hrlab.providers.deps as deps
    import hrlab.providers.llamacpp_llm as llamacpp_llm
    import hrlab.providers.model_files as model_files

    calls: dict[str, dict] = {}

    class RecordingEngine:
        def __init__(self, gguf: Path, *, name: str, **options):
            calls[name] = options

    monkeypatch.setattr(llamacpp_llm, "LlamaCppEngine", RecordingEngine)
    monkeypatch.setattr(model_files, "gguf_path", lambda model, _dir: tmp_path / f"{model}.gguf")
    monkeypatch.setattr(deps, "require_module", lambda *_args, **_kwargs: None)
    return calls


def test_the_assessment_model_gets_4096_tokens_per_slot_and_the_question_model_the_default(built):
    registry = ModelRegistry(model_dir=Path("unused"))
    registry.completer(DEFAULT_ASSESSMENT_LLM)
    registry.completer("llamacpp/gemma3-270m")
    # A whole Russian transcript with the rubric overflowed 2048 tokens in one assessment prompt.
    assert built["qwen2.5-1.5b"]["ctx_per_slot"] == 4096
    assert "ctx_per_slot" not in built["gemma3-270m"]  # the engine's own 2048
