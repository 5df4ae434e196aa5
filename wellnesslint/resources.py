"""Where the built-in data lives, for an installed wheel and for a source checkout alike.

``pyproject.toml`` maps the package ``wellnesslint.rulesets`` to the top-level ``rulesets/`` folder,
so a (non-editable) install ships the rulesets inside the package. A source checkout imported
from the repository root has no ``wellnesslint/rulesets`` folder: there the data is the
``rulesets/`` folder next to the package.
"""

from __future__ import annotations

import pathlib

_LANG_DIRS = ("nl", "en")


def _installed_dir() -> pathlib.Path | None:
    try:
        from importlib.resources import files

        root = files("wellnesslint.rulesets")
    except (ModuleNotFoundError, ImportError, TypeError):
        return None
    try:
        path = pathlib.Path(str(root))
    except TypeError:  # pragma: no cover - a zip import; rulesets must be on a file system
        return None
    return path if path.is_dir() else None


def _checkout_dir() -> pathlib.Path:
    return pathlib.Path(__file__).resolve().parent.parent / "rulesets"


def _has_languages(path: pathlib.Path) -> bool:
    return any((path / lang).is_dir() for lang in _LANG_DIRS)


def rulesets_dir() -> pathlib.Path:
    """The folder holding the built-in rulesets (``nl/``, ``en/``).

    The installed package data comes first when it holds a language folder; otherwise the
    checkout's ``rulesets/`` folder next to the package. When neither holds one (an install
    from a tree without rules yet), the installed folder if there is one, else the checkout's.
    """
    installed = _installed_dir()
    if installed is not None and _has_languages(installed):
        return installed
    checkout = _checkout_dir()
    if _has_languages(checkout):
        return checkout
    return installed if installed is not None else checkout
