"""Read TOML files into checked values; every error names the file and the field."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path
from typing import Any, Iterable

from hrlab.errors import ConfigError

NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,79}")


class LabFileError(ConfigError):
    """A scenario, variant or suite file is malformed; `file` and `field` say where."""

    code = "lab_file_error"

    def __init__(self, file: str | Path, field: str, problem: str):
        super().__init__(f"{file}: {field}: {problem}" if field else f"{file}: {problem}", file=str(file), field=field)
        self.file = str(file)
        self.field = field
        self.problem = problem


def read_toml(path: Path) -> dict:
    """Parse one TOML file; a missing file or bad syntax is a LabFileError."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise LabFileError(path, "", f"cannot read file: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise LabFileError(path, "", "file is not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LabFileError(path, "", f"not valid TOML: {exc}") from None


class Fields:
    """A TOML table being read: typed getters that name `file` and the dotted field on error."""

    def __init__(self, data: Any, *, file: str | Path, prefix: str = ""):
        self.file = str(file)
        self.prefix = prefix
        if not isinstance(data, dict):
            raise LabFileError(self.file, prefix or "(top)", f"must be a table, got {_kind(data)}")
        self.data = data
        self._read: set[str] = set()

    def where(self, key: str) -> str:
        return f"{self.prefix}.{key}" if self.prefix else key

    def error(self, key: str, problem: str) -> LabFileError:
        return LabFileError(self.file, self.where(key), problem)

    def has(self, key: str) -> bool:
        return key in self.data

    def raw(self, key: str, default: Any = None) -> Any:
        self._read.add(key)
        return self.data.get(key, default)

    def table(self, key: str) -> Fields:
        return Fields(self.raw(key, {}), file=self.file, prefix=self.where(key))

    def string(self, key: str, default: str | None = None, *, required: bool = False,
               pattern: re.Pattern | None = None, choices: Iterable[str] | None = None) -> str | None:
        """A string (optionally one of `choices` or matching `pattern`); `default` when absent."""
        value = self.raw(key)
        if value is None:
            if required:
                raise self.error(key, "is required")
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be a non-empty string, got {_kind(value)}")
        if choices is not None and value not in choices:
            raise self.error(key, f"must be one of {', '.join(choices)}, got {value!r}")
        if pattern is not None and not pattern.fullmatch(value):
            raise self.error(key, f"must match {pattern.pattern}, got {value!r}")
        return value

    def number(self, key: str, default: float | None = None, *, low: float | None = None,
               high: float | None = None, integer: bool = False, required: bool = False) -> float | int | None:
        """A finite number (an int when `integer`) within [low, high]; `default` when absent."""
        value = self.raw(key, default)
        if value is None:
            if required:
                raise self.error(key, "is required")
            return None
        kinds = (int,) if integer else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or not math.isfinite(value):
            raise self.error(key, f"must be {'an integer' if integer else 'a number'}, got {_kind(value)}")
        if (low is not None and value < low) or (high is not None and value > high):
            raise self.error(key, f"must be in {_range(low, high)}, got {value!r}")
        return value

    def boolean(self, key: str, default: bool = False) -> bool:
        """true or false."""
        value = self.raw(key, default)
        if not isinstance(value, bool):
            raise self.error(key, f"must be true or false, got {_kind(value)}")
        return value

    def string_list(self, key: str, *, required: bool = False) -> list[str]:
        """A list of non-empty strings; [] when absent."""
        value = self.raw(key, None)
        if value is None:
            if required:
                raise self.error(key, "is required")
            return []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.error(key, f"must be a list of non-empty strings, got {_kind(value)}")
        return list(value)

    def tables(self, key: str, *, required: bool = False) -> list[Fields]:
        """A list of tables (`[[key]]`), each a Fields with an indexed prefix like `turns[2]`."""
        value = self.raw(key, None)
        if value is None:
            if required:
                raise self.error(key, "is required (a list of tables, e.g. [[" + key + "]])")
            return []
        if not isinstance(value, list):
            raise self.error(key, f"must be a list of tables, got {_kind(value)}")
        return [Fields(item, file=self.file, prefix=f"{self.where(key)}[{i}]") for i, item in enumerate(value)]

    def reject_unknown(self) -> None:
        """Refuse keys nobody read: a typo must not be silently ignored."""
        unknown = sorted(set(self.data) - self._read)
        if unknown:
            raise self.error(unknown[0], "unknown field" + (f" (also: {', '.join(unknown[1:])})" if unknown[1:] else ""))


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, (int, float)):
        return f"number {value!r}"
    if isinstance(value, str):
        return f"string {value!r}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _range(low: float | None, high: float | None) -> str:
    if low is not None and high is not None:
        return f"{low:g}..{high:g}"
    return f">= {low:g}" if low is not None else f"<= {high:g}"
