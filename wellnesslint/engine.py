"""The engine: document -> sentences -> checks -> findings. (Being built; see issue 2.)"""

from __future__ import annotations

from .documents import load_document
from .models import Document, Finding


def lint_document(doc: Document, *, path: str = "<text>", lang: str = "auto", **options) -> list[Finding]:
    return []


def lint_text(text: str, *, format: str = "text", lang: str = "auto", path: str = "<text>", **options) -> list[Finding]:
    doc = load_document(text, format)
    return lint_document(doc, path=path, lang=lang, **options)
