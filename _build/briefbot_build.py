"""briefbot's build backend: setuptools', with mypy in the build environment when compiling.

``BRIEFBOT_COMPILE=1`` asks ``setup.py`` for the mypyc-compiled modules. A build frontend
(pip, ``python -m build``) installs what ``get_requires_for_build_wheel`` names into a fresh
environment, so mypy is added there only for a compiled build; the pure build needs nothing
more than setuptools. An editable install is always pure: a built module beside the source
would shadow the ``.py`` a developer edits, so asking for both is refused.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from setuptools import build_meta as _setuptools
from setuptools.build_meta import *  # noqa: F403  (every hook not redefined here)

COMPILER = "mypy>=1.11"
"""mypy ships mypyc; the same lower bound as the dev extra."""

_ConfigSettings = dict[str, Any] | None


def _compiling() -> bool:
    return os.environ.get("BRIEFBOT_COMPILE") == "1"


@contextmanager
def _pure() -> Iterator[None]:
    """Run setup.py without compiling (its requirements and metadata do not depend on it)."""
    saved = os.environ.pop("BRIEFBOT_COMPILE", None)
    try:
        yield
    finally:
        if saved is not None:
            os.environ["BRIEFBOT_COMPILE"] = saved


def get_requires_for_build_wheel(config_settings: _ConfigSettings = None) -> list[str]:
    if not _compiling():
        return list(_setuptools.get_requires_for_build_wheel(config_settings))
    with _pure():
        return [*_setuptools.get_requires_for_build_wheel(config_settings), COMPILER]


def prepare_metadata_for_build_wheel(
    metadata_directory: str, config_settings: _ConfigSettings = None
) -> str:
    with _pure():
        return str(
            _setuptools.prepare_metadata_for_build_wheel(metadata_directory, config_settings)
        )


def _refuse_compiled_editable() -> None:
    if _compiling():
        raise RuntimeError(
            "BRIEFBOT_COMPILE=1 builds wheels, not editable installs: a compiled module "
            "would shadow the .py you edit. Unset it for 'pip install -e', or build a "
            "wheel ('BRIEFBOT_COMPILE=1 pip install .')."
        )


def get_requires_for_build_editable(config_settings: _ConfigSettings = None) -> list[str]:
    _refuse_compiled_editable()
    return list(_setuptools.get_requires_for_build_editable(config_settings))


def build_editable(
    wheel_directory: str,
    config_settings: _ConfigSettings = None,
    metadata_directory: str | None = None,
) -> str:
    _refuse_compiled_editable()
    return str(_setuptools.build_editable(wheel_directory, config_settings, metadata_directory))
