"""Format adapters: turn a decoded source text into a Document (prose + offset map + blocks).

One module per format. Each exposes ``parse(source: str) -> Document`` and never raises on
malformed input: a page that cannot be fully understood still yields the prose it can find.
"""

from __future__ import annotations

import os

from ..models import Document

EXTENSIONS = {
    ".md": "markdown",
    ".markdown": "markdown",
    ".mdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".txt": "text",
    ".text": "text",
}
DEFAULT_EXTENSIONS = (".md", ".markdown", ".html", ".htm", ".txt")
FORMATS = ("markdown", "html", "text")


def format_for_path(path: str | os.PathLike[str] | None, default: str | None = None) -> str | None:
    """The format implied by a file name's extension, or ``default``."""
    if path is None:
        return default
    ext = os.path.splitext(os.fspath(path))[1].lower()
    return EXTENSIONS.get(ext, default)


def load_document(source: str, fmt: str) -> Document:
    """Parse ``source`` (already decoded) as ``fmt`` ("markdown", "html" or "text")."""
    if fmt == "markdown":
        from . import markdown

        return markdown.parse(source)
    if fmt == "html":
        from . import html

        return html.parse(source)
    if fmt == "text":
        from . import text

        return text.parse(source)
    raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")
