"""Shared by the fix property tests: what applying fixes may change."""

from __future__ import annotations

from typing import Iterable


def assert_only_edits_changed(old: str, new: str, applied: Iterable) -> None:
    """``new`` is ``old`` with the ``applied`` edits (``start``, ``end``, ``text``; in source order,
    never overlapping) made, and not one character changed anywhere else."""
    pos_old = pos_new = 0
    for e in applied:
        assert pos_old <= e.start <= e.end <= len(old), e
        gap = old[pos_old : e.start]
        assert new[pos_new : pos_new + len(gap)] == gap
        pos_new += len(gap)
        assert new[pos_new : pos_new + len(e.text)] == e.text
        pos_new += len(e.text)
        pos_old = e.end
    assert new[pos_new:] == old[pos_old:]
