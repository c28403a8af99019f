"""Import optional packages and find programs, failing with the exact command that installs them."""

from __future__ import annotations

import importlib
import shutil
from types import ModuleType

from hrlab.providers.spec import MissingDependency


def require_module(module: str, *, extra: str = "models", package: str | None = None) -> ModuleType:
    """Import `module` or raise MissingDependency naming `pip install 'hrlab[extra]'`."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependency(
            f"the Python package {package or module!r} is not installed ({exc}); "
            f"run: pip install 'hrlab[{extra}]'"
        ) from None


def require_program(program: str, *, debian_packages: str) -> str:
    """Path of `program` on PATH or raise MissingDependency naming the apt-get command."""
    path = shutil.which(program)
    if path is None:
        raise MissingDependency(
            f"the program {program!r} is not installed; run: apt-get install {debian_packages} "
            "(or bash scripts/install-system.sh)"
        )
    return path
