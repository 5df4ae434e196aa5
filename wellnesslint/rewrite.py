"""Balanced rewrites (work in progress)."""


def attach_suggestions(doc, findings, rulesets, doc_lang, **options) -> None:
    return None
