"""Module-level patterns compiled on first use.

Compiling a pattern with ``regex`` takes about a millisecond, and a one-file run (a pre-commit
hook) pays for every module-level pattern of every module it imports, though an innocent page
needs few of them. A :class:`LazyPattern` stands for the compiled pattern and compiles it when
one of its methods is first asked for; hot patterns stay plain ``regex.compile`` calls (the
indirection costs a fraction of a microsecond per call).
"""

from __future__ import annotations

from typing import Any


class LazyPattern:
    __slots__ = ("_source", "_flags", "_compiled")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._compiled: Any = None

    def compiled(self) -> Any:
        if self._compiled is None:
            import regex

            self._compiled = regex.compile(self._source, self._flags)
        return self._compiled

    def __getattr__(self, name: str) -> Any:  # search, match, finditer, pattern, ...
        return getattr(self.compiled(), name)
