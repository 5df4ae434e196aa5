"""Module-level patterns compiled on first use.

Compiling a pattern with ``regex`` takes about a millisecond, and a one-file run (a pre-commit
hook) pays for every module-level pattern of every module it imports, though an innocent page
needs few of them. A :class:`LazyPattern` stands for the compiled pattern and compiles it when
one of its methods is first asked for; hot patterns stay plain ``regex.compile`` calls (the
indirection costs a fraction of a microsecond per call). The ruleset cache stores the rules'
compiled patterns as lazy ones too (cache.py), so a run compiles only the patterns it uses.
"""

from __future__ import annotations

from typing import Any


class LazyPattern:
    """Stands for ``regex.compile(source, flags)``; compiles it when first used. An attribute
    (``search``, ``finditer``, ``pattern``, ...) is looked up on the compiled pattern once and then
    kept on this object, so later calls cost what calls on the pattern itself cost."""

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags

    def compiled(self) -> Any:
        found = self.__dict__.get("_compiled")
        if found is None:
            import regex

            found = self.__dict__["_compiled"] = regex.compile(self._source, self._flags)
        return found

    def __getattr__(self, name: str) -> Any:  # only for names not on the object yet
        if name.startswith("__") or name in ("_source", "_flags"):
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value
        return value

    def __reduce__(self):
        return (LazyPattern, (self._source, self._flags))
