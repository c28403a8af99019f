"""Prompt files shipped with hrlab: `<variant>/<language>.toml`, loaded and checked by name."""

from __future__ import annotations

import re
import tomllib
from importlib import resources

from hrlab.domain.language import LANGUAGES
from hrlab.domain.prompting import PromptSet, prompt_set_from_mapping
from hrlab.errors import ConfigError

_VARIANT = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")


def available_variants() -> list[str]:
    """Names of the prompt variants shipped in this package."""
    root = resources.files(__name__)
    return sorted(entry.name for entry in root.iterdir() if entry.is_dir() and _VARIANT.fullmatch(entry.name))


def load_prompt_set(variant: str, language: str) -> PromptSet:
    """Load and check one variant's prompt set; ConfigError names the variant, file and problem."""
    if not isinstance(variant, str) or not _VARIANT.fullmatch(variant):
        raise ConfigError(f"prompt variant must match {_VARIANT.pattern}, got {variant!r}")
    if language not in LANGUAGES:
        raise ConfigError(f"prompt language must be one of {', '.join(LANGUAGES)}, got {language!r}")
    path = resources.files(__name__) / variant / f"{language}.toml"
    if not path.is_file():
        raise ConfigError(
            f"no prompt file {variant}/{language}.toml; variants: {', '.join(available_variants()) or 'none'}"
        )
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"prompt file {variant}/{language}.toml is not valid TOML: {exc}") from None
    return prompt_set_from_mapping(data, variant=variant, language=language)
