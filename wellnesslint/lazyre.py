"""Module-level patterns compiled on first use.

Compiling a pattern with ``regex`` takes about a millisecond, and a one-file run (a pre-commit
hook) pays for every module-level pattern of every module it imports, though an innocent page
needs few of them. A :class:`LazyPattern` stands for the compiled pattern and compiles it when
one of its methods is first asked for; hot patterns stay plain ``regex.compile`` calls (the
indirection costs a fraction of a microsecond per call). The ruleset cache stores the rules'
compiled patterns as lazy ones too (cache.py), each with its compiled code: unpickling that code
takes a few hundredths of a millisecond where compiling takes most of one, and a run unpickles
only the patterns it uses.
"""

from __future__ import annotations

from typing import Any


class LazyPattern:
    """Stands for ``regex.compile(source, flags)``; compiles it when first used. An attribute
    (``search``, ``finditer``, ``pattern``, ...) is looked up on the compiled pattern once and then
    kept on this object, so later calls cost what calls on the pattern itself cost."""

    def __init__(self, source: str, flags: int = 0, code: bytes | None = None) -> None:
        self._source = source
        self._flags = flags
        self._code = code  # the pickled compiled pattern (``regex`` pickles its compiled code)

    @classmethod
    def of(cls, pattern: Any) -> "LazyPattern":
        """A lazy stand-in for the compiled ``pattern`` that carries its compiled code."""
        import pickle

        return cls(pattern.pattern, pattern.flags, pickle.dumps(pattern, protocol=pickle.HIGHEST_PROTOCOL))

    def compiled(self) -> Any:
        found = self.__dict__.get("_compiled")
        if found is None:
            import regex

            if self._code is not None:
                import pickle

                try:
                    found = pickle.loads(self._code)
                except Exception:  # not loadable here: compile the source instead
                    found = None
                if not (isinstance(found, regex.Pattern) and found.pattern == self._source
                        and found.flags == self._flags):
                    found = None
            if found is None:
                found = regex.compile(self._source, self._flags)
            self.__dict__["_compiled"] = found
        return found

    def __getattr__(self, name: str) -> Any:  # only for names not on the object yet
        if name.startswith("__") or name in ("_source", "_flags", "_code"):
            raise AttributeError(name)
        value = getattr(self.compiled(), name)
        self.__dict__[name] = value
        return value

    def __reduce__(self):
        if self._code is None:
            return (LazyPattern, (self._source, self._flags))
        return (LazyPattern, (self._source, self._flags, self._code))
