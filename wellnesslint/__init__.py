"""wellnesslint: a content-compliance linter for wellness marketing copy (Dutch and English)."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__", "lint_text"]


def lint_text(text: str, *, format: str = "text", lang: str = "auto", path: str = "<text>", **options):
    """Lint a decoded text and return a sorted list of :class:`wellnesslint.models.Finding`."""
    from .engine import lint_text as _lint_text

    return _lint_text(text, format=format, lang=lang, path=path, **options)
