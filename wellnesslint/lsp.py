"""``wellnesslint lsp``: a language server over stdio (pygls).

- diagnostics for Markdown, HTML and plain-text documents on open and on every change (full and
  incremental sync; changes are linted after a short pause in typing, ``debounce`` below);
- code actions: apply a finding's suggested rewrite, insert the suggested disclaimer paragraph;
- hover on a finding: the rule's rationale and legal basis (references);
- the nearest project configuration applies, as in ``wellnesslint check`` (language, profile, team
  rules, select/ignore, per-file ignores, exclude, suppression comments); a broken one is shown
  once and the defaults apply (:func:`wellnesslint.review.lint_source`).

Positions. LSP counts lines split at ``\\n``, ``\\r\\n`` and ``\\r`` only, and characters in the
negotiated position encoding (UTF-16 code units unless the client offers UTF-8 or UTF-32).
Python's ``str.splitlines`` also splits at form feeds, ``\\x0b`` (Word's soft line break),
``\\x85`` and U+2028/2029, so the server keeps its own copy of each open document
(:class:`TextBuffer`) and converts positions itself rather than through pygls's documents.

Malformed messages. A body that is not JSON is answered with a Parse error (id null), a message
that is not a JSON-RPC object with Invalid Request, a request whose params do not fit the method
with Invalid Params (with the request's id, so the client does not wait forever), an unknown
method with Method not found (pygls), and requests after ``shutdown`` with Invalid Request.
The server keeps running in every case.

pygls is imported only here, and this module only when ``wellnesslint lsp`` runs.
"""

from __future__ import annotations

import json
import logging
import os
from bisect import bisect_right
from typing import Any, Iterable

from lsprotocol import types
from pygls.exceptions import JsonRpcException, JsonRpcInvalidParams
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path

from . import __version__
from .models import Finding, LineIndex
from .review import Edit, finding_span, lint_source, rule_for, split_reference, suggestion_edit
from .yamlload import DataError

log = logging.getLogger("wellnesslint.lsp")

SOURCE = "wellnesslint"
DEBOUNCE_SECONDS = 0.15

LANGUAGE_IDS = {
    "markdown": "markdown",
    "mdx": "markdown",
    "html": "html",
    "xhtml": "html",
    "plaintext": "text",
    "text": "text",
    "txt": "text",
}

SEVERITY = {
    "error": types.DiagnosticSeverity.Error,
    "warning": types.DiagnosticSeverity.Warning,
    "info": types.DiagnosticSeverity.Information,
}


# --------------------------------------------------------------------------------------------
# documents and positions


def _units_utf16(s: str) -> int:
    return len(s.encode("utf-16-le", "surrogatepass")) // 2


def _units_utf8(s: str) -> int:
    return len(s.encode("utf-8", "surrogatepass"))


def _chars_in_utf16(s: str, units: int) -> int:
    """How many characters of ``s`` fit in ``units`` UTF-16 code units (a split pair rounds down)."""
    if units >= len(s) * 2:
        return len(s)
    return len(s.encode("utf-16-le", "surrogatepass")[: units * 2].decode("utf-16-le", "ignore"))


def _chars_in_utf8(s: str, units: int) -> int:
    if units >= len(s) * 4:
        return len(s)
    return len(s.encode("utf-8", "surrogatepass")[:units].decode("utf-8", "ignore"))


class TextBuffer:
    """An open document: its text, version and LSP line index, in one position encoding."""

    __slots__ = ("uri", "text", "version", "language_id", "encoding", "_starts", "findings", "linted_version")

    def __init__(self, uri: str, text: str, version: int | None, language_id: str, encoding: str) -> None:
        self.uri = uri
        self.text = text
        self.version = version
        self.language_id = language_id
        self.encoding = encoding
        self._starts: list[int] | None = None
        self.findings: list[Finding] | None = None
        self.linted_version: object = object()  # the version the findings belong to

    @property
    def starts(self) -> list[int]:
        if self._starts is None:
            self._starts = LineIndex(self.text).starts
        return self._starts

    def _line_span(self, line: int) -> tuple[int, int]:
        """Start and end (before the line break) of a 0-based line."""
        starts = self.starts
        start = starts[line]
        end = starts[line + 1] if line + 1 < len(starts) else len(self.text)
        if end > start and self.text[end - 1] == "\n":
            end -= 1
        if end > start and self.text[end - 1] == "\r":
            end -= 1
        return start, end

    def offset_at(self, pos: types.Position) -> int:
        """Code-point offset of an LSP position; past the end of a line means its end."""
        starts = self.starts
        if pos.line >= len(starts):
            return len(self.text)
        start, end = self._line_span(pos.line)
        segment = self.text[start:end]
        if self.encoding == types.PositionEncodingKind.Utf32:
            n = min(pos.character, len(segment))
        elif self.encoding == types.PositionEncodingKind.Utf8:
            n = _chars_in_utf8(segment, pos.character)
        else:
            n = _chars_in_utf16(segment, pos.character)
        return start + n

    def position_at(self, offset: int) -> types.Position:
        offset = max(0, min(offset, len(self.text)))
        line = bisect_right(self.starts, offset) - 1
        prefix = self.text[self.starts[line] : offset]
        if self.encoding == types.PositionEncodingKind.Utf32:
            character = len(prefix)
        elif self.encoding == types.PositionEncodingKind.Utf8:
            character = _units_utf8(prefix)
        else:
            character = _units_utf16(prefix)
        return types.Position(line=line, character=character)

    def range_of(self, start: int, end: int) -> types.Range:
        return types.Range(start=self.position_at(start), end=self.position_at(end))

    def apply(self, change: Any) -> None:
        """Apply one content change (ranged = incremental, else the whole text)."""
        rng = getattr(change, "range", None)
        if rng is None:
            self.text = change.text
        else:
            start = self.offset_at(rng.start)
            end = self.offset_at(rng.end)
            if end < start:
                start, end = end, start
            self.text = self.text[:start] + change.text + self.text[end:]
        self._starts = None

    @property
    def format(self) -> str | None:
        fmt = LANGUAGE_IDS.get((self.language_id or "").lower())
        if fmt is None:
            from .documents import format_for_path

            fmt = format_for_path(_uri_path(self.uri) or self.uri)
        return fmt


def _uri_path(uri: str) -> str | None:
    try:
        return to_fs_path(uri)
    except Exception:
        return None


# --------------------------------------------------------------------------------------------
# protocol: malformed messages get answers


class _Answered:
    """Stands in for a message that was already answered with an error."""

    jsonrpc = None


def _plain_id(value: Any) -> int | str | None:
    return value if isinstance(value, (int, str)) and not isinstance(value, bool) else None


class WellnessProtocol(LanguageServerProtocol):
    def _send_error(self, msg_id: Any, code: int, message: str) -> None:
        self._send_data({"jsonrpc": "2.0", "id": _plain_id(msg_id), "error": {"code": code, "message": message}})

    def structure_message(self, data: dict[str, Any]):
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            method = data.get("method")
            if "id" in data and "result" not in data and "error" not in data:  # a request: answer it
                if isinstance(method, str):
                    code = exc.code if isinstance(exc, JsonRpcInvalidParams) else JsonRpcInvalidParams.code
                    self._send_error(data["id"], code, f"Invalid params for {method}")
                else:
                    self._send_error(data["id"], -32600, "Invalid Request: method must be a string")
            else:
                self._server.log(f"ignored a malformed message: {str(data)[:200]}")
            return _Answered()

    def handle_message(self, message: Any):
        if isinstance(message, _Answered):
            return None
        if not hasattr(message, "jsonrpc"):  # valid JSON, but not a JSON-RPC object
            msg_id = message.get("id") if isinstance(message, dict) else None
            self._send_error(msg_id, -32600, "Invalid Request: not a JSON-RPC 2.0 message")
            return None
        if message.jsonrpc != "2.0":
            self._send_error(getattr(message, "id", None), -32600, "Invalid Request: jsonrpc must be \"2.0\"")
            return None
        method = getattr(message, "method", None)
        if self._shutdown and method is not None and method != types.EXIT and hasattr(message, "id"):
            self._send_error(message.id, -32600, "Invalid Request: the server is shutting down")
            return None
        return super().handle_message(message)


# --------------------------------------------------------------------------------------------
# the server


class WellnessServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "wellnesslint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Incremental,
            protocol_cls=WellnessProtocol,
        )
        self.buffers: dict[str, TextBuffer] = {}
        self.lang = "auto"
        self.debounce = DEBOUNCE_SECONDS
        self._pending: dict[str, Any] = {}
        self._shown: set[str] = set()
        self._running: set[str] = set()  # documents being linted in the worker thread
        self._dirty: set[str] = set()  # ... that changed meanwhile
        self._executor: Any = None

    # errors that are nobody's request: log them, do not pop up a message
    def report_server_error(self, error: Exception, source: Any) -> None:
        if isinstance(error, (json.JSONDecodeError, UnicodeDecodeError, RecursionError)):
            # (RecursionError: a body nested too deeply for the standard library's decoder)
            self.protocol._send_error(None, -32700, f"Parse error: {error}")  # type: ignore[attr-defined]
            return
        self.log(f"error: {type(error).__name__}: {error}", types.MessageType.Error)

    def log(self, message: str, kind: types.MessageType = types.MessageType.Log) -> None:
        try:
            self.window_log_message(types.LogMessageParams(type=kind, message=message))
        except Exception:  # pragma: no cover - no transport
            log.warning(message)

    def show_once(self, message: str) -> None:
        """An error the user should see (a broken configuration), shown once per message."""
        if message in self._shown:
            self.log(message, types.MessageType.Error)
            return
        self._shown.add(message)
        try:
            self.window_show_message(types.ShowMessageParams(type=types.MessageType.Error, message=message))
        except Exception:  # pragma: no cover - no transport
            log.warning(message)

    @property
    def encoding(self) -> str:
        try:
            return self.workspace.position_encoding or types.PositionEncodingKind.Utf16
        except RuntimeError:  # not initialised
            return types.PositionEncodingKind.Utf16

    # ---- linting

    def lint(self, uri: str, text: str, fmt: str | None) -> tuple[list[Finding], list[str]]:
        """(findings, problems to show). Sends nothing, so it may run in the worker thread."""
        if fmt is None:
            return [], []
        path = _uri_path(uri)
        problems: list[str] = []
        try:
            try:
                found = lint_source(text, fmt, path=path, lang=self.lang)
            except DataError as exc:  # a broken configuration or team rule: say so, lint with defaults
                problems.append(f"wellnesslint: {exc} (linting with the default settings)")
                found = lint_source(text, fmt, path=path, lang=self.lang, use_config=False)
        except Exception as exc:  # a broken ruleset or a bug must not take the server down
            problems.append(f"wellnesslint could not lint {uri}: {type(exc).__name__}: {exc}")
            found = []
        return found, problems

    @staticmethod
    def _fresh(buf: TextBuffer) -> bool:
        return buf.findings is not None and buf.linted_version == (buf.version, buf.text)

    def findings(self, buf: TextBuffer) -> list[Finding]:
        """The findings for the buffer's current text (linted now, in this thread, if stale)."""
        if not self._fresh(buf):
            found, problems = self.lint(buf.uri, buf.text, buf.format)
            for message in problems:
                self.show_once(message)
            buf.findings = found
            buf.linted_version = (buf.version, buf.text)
        return buf.findings  # type: ignore[return-value]

    def diagnostic(self, buf: TextBuffer, f: Finding) -> types.Diagnostic:
        start, end = finding_span(f, buf.text)
        info = rule_for(f)
        urls = info.reference_urls() if info else []
        message = f.message
        if f.element:
            message = f"{message} [{f.element}]"
        return types.Diagnostic(
            range=buf.range_of(start, end),
            message=message,
            severity=SEVERITY.get(f.severity, types.DiagnosticSeverity.Warning),
            code=f.rule,
            code_description=types.CodeDescription(href=urls[0]) if urls else None,
            source=SOURCE,
            data={"rule": f.rule, "category": f.category, "offset": start, "end_offset": end},
        )

    def send_diagnostics(self, buf: TextBuffer) -> None:
        diagnostics = [self.diagnostic(buf, f) for f in buf.findings or []]
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=buf.uri, diagnostics=diagnostics, version=buf.version)
        )

    def publish(self, uri: str) -> None:
        """Lint the document (in the worker thread, so the server keeps answering) and publish.

        One lint per document at a time; a change that arrives meanwhile is linted right after.
        """
        import asyncio

        self._pending.pop(uri, None)
        buf = self.buffers.get(uri)
        if buf is None:
            return
        if self._fresh(buf):
            self.send_diagnostics(buf)
            return
        if uri in self._running:
            self._dirty.add(uri)
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:  # no event loop (unit tests): lint here
            self.findings(buf)
            self.send_diagnostics(buf)
            return
        text, version = buf.text, buf.version
        self._running.add(uri)
        future = loop.run_in_executor(self._worker(), self.lint, uri, text, buf.format)

        def done(fut: Any) -> None:
            self._running.discard(uri)
            try:
                found, problems = fut.result()
            except Exception as exc:  # pragma: no cover - lint() catches everything
                found, problems = [], [f"wellnesslint could not lint {uri}: {exc}"]
            for message in problems:
                self.show_once(message)
            current = self.buffers.get(uri)
            if current is None:
                return
            if current.version == version and current.text == text:
                current.findings = found
                current.linted_version = (version, text)
                self.send_diagnostics(current)
            if uri in self._dirty or not self._fresh(current):
                self._dirty.discard(uri)
                self.publish(uri)

        future.add_done_callback(done)

    def _worker(self):
        if self._executor is None:
            from concurrent.futures import ThreadPoolExecutor

            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wellnesslint-lint")
        return self._executor

    def schedule(self, uri: str) -> None:
        """Lint after a short pause in typing (at once when no event loop runs)."""
        import asyncio

        handle = self._pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.publish(uri)
            return
        if self.debounce <= 0:
            self.publish(uri)
            return
        self._pending[uri] = loop.call_later(self.debounce, self._publish_safely, uri)

    def _publish_safely(self, uri: str) -> None:
        try:
            self.publish(uri)
        except Exception as exc:  # pragma: no cover - defensive: a timer callback must not raise
            self.log(f"{uri}: {type(exc).__name__}: {exc}", types.MessageType.Error)

    # ---- code actions and hover

    def workspace_edit(self, buf: TextBuffer, edits: Iterable[Edit]) -> types.WorkspaceEdit:
        text_edits = [types.TextEdit(range=buf.range_of(e.start, e.end), new_text=e.replacement) for e in edits]
        document_changes = False
        try:
            caps = self.client_capabilities.workspace
            document_changes = bool(caps and caps.workspace_edit and caps.workspace_edit.document_changes)
        except Exception:
            pass
        if document_changes:
            return types.WorkspaceEdit(
                document_changes=[
                    types.TextDocumentEdit(
                        text_document=types.OptionalVersionedTextDocumentIdentifier(uri=buf.uri, version=buf.version),
                        edits=text_edits,
                    )
                ]
            )
        return types.WorkspaceEdit(changes={buf.uri: text_edits})

    def code_actions(self, buf: TextBuffer, rng: types.Range) -> list[types.CodeAction]:
        lo, hi = buf.offset_at(rng.start), buf.offset_at(rng.end)
        actions: list[types.CodeAction] = []
        seen: set[tuple[int, int, str]] = set()
        findings = self.findings(buf)
        lines = LineIndex(buf.text)
        for f in findings:
            start, end = finding_span(f, buf.text, lines)
            if not (start <= hi and lo <= end):  # touching counts: a cursor right after a word
                continue
            edit = suggestion_edit(f, buf.text, lines)
            if edit is None:
                continue
            key = (edit.start, edit.end, edit.replacement)
            if key in seen:
                continue
            seen.add(key)
            related = [self.diagnostic(buf, g) for g in findings if g.category == f.category == "missing_disclaimer"
                       and suggestion_edit(g, buf.text, lines) == edit] or [self.diagnostic(buf, f)]
            if f.category == "missing_disclaimer":
                elements = ", ".join(sorted({g.element for g in findings if g.element and g.category == "missing_disclaimer"}))
                title = "wellnesslint: insert the disclaimer paragraph" + (f" ({elements})" if elements else "")
            else:
                title = f"wellnesslint: apply the suggested rewrite ({f.rule})"
            actions.append(
                types.CodeAction(
                    title=title,
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=related,
                    edit=self.workspace_edit(buf, [edit]),
                )
            )
        return actions

    def hover(self, buf: TextBuffer, pos: types.Position) -> types.Hover | None:
        at = buf.offset_at(pos)
        lines = LineIndex(buf.text)
        parts: list[str] = []
        first: tuple[int, int] | None = None
        for f in self.findings(buf):
            start, end = finding_span(f, buf.text, lines)
            if not (start <= at <= end):
                continue
            if first is None:
                first = (start, end)
            parts.append(hover_markdown(f, suggestion_edit(f, buf.text, lines)))
        if not parts:
            return None
        return types.Hover(
            contents=types.MarkupContent(kind=types.MarkupKind.Markdown, value="\n\n---\n\n".join(parts)),
            range=buf.range_of(*first) if first else None,
        )


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>()#+-.!|~"})


def _md(text: str) -> str:
    """Text from a document or a custom rule, shown literally in Markdown."""
    return " ".join(text.split()).translate(_MD_SPECIAL)


def hover_markdown(f: Finding, edit: Edit | None) -> str:
    info = rule_for(f)
    head = f"**{f.rule}**" + (f" {info.name}" if info else "") + f" · {f.category} · {f.severity}"
    lines = [head, "", _md(f.message)]
    if f.element:
        lines += ["", f"Missing element: `{f.element}`"]
    if info is not None:
        lines += ["", f"**Why:** {_md(info.rationale)}"]
        if info.references:
            lines += ["", "**Legal basis and sources:**"]
            for ref in info.references:
                url, rest = split_reference(ref)
                lines.append(f"- <{url}> {_md(rest)}".rstrip() if url else f"- {_md(rest)}")
        if info.fix_hint:
            lines += ["", f"**How to fix:** {_md(info.fix_hint)}"]
    if edit is not None and edit.replacement.strip():
        label = "Suggested disclaimer" if f.category == "missing_disclaimer" else "Suggested rewrite"
        quoted = "\n".join("> " + _md(line) if line.strip() else ">" for line in edit.replacement.strip().splitlines())
        lines += ["", f"**{label}** ({edit.applicability}):", "", quoted]
    return "\n".join(lines)


def create_server() -> WellnessServer:
    server = WellnessServer()

    @server.feature(types.INITIALIZE)
    def initialize(ls: WellnessServer, params: types.InitializeParams) -> None:
        opts = params.initialization_options
        if isinstance(opts, dict):
            lang = opts.get("lang")
            if lang in ("auto", "nl", "en"):
                ls.lang = lang
            debounce = opts.get("debounce")
            if isinstance(debounce, (int, float)) and not isinstance(debounce, bool) and 0 <= debounce <= 10000:
                ls.debounce = debounce / 1000.0

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: WellnessServer, params: types.DidOpenTextDocumentParams) -> None:
        doc = params.text_document
        ls.buffers[doc.uri] = TextBuffer(doc.uri, doc.text, doc.version, doc.language_id, ls.encoding)
        ls.publish(doc.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: WellnessServer, params: types.DidChangeTextDocumentParams) -> None:
        uri = params.text_document.uri
        buf = ls.buffers.get(uri)
        if buf is None:
            ls.log(f"didChange for a document that is not open: {uri}", types.MessageType.Warning)
            return
        for change in params.content_changes:
            buf.apply(change)
        buf.version = params.text_document.version
        buf.findings = None
        ls.schedule(uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: WellnessServer, params: types.DidSaveTextDocumentParams) -> None:
        if params.text_document.uri in ls.buffers:
            ls.publish(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: WellnessServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        handle = ls._pending.pop(uri, None)
        if handle is not None:
            handle.cancel()
        if ls.buffers.pop(uri, None) is not None:
            ls.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri=uri, diagnostics=[]))

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix], resolve_provider=False),
    )
    def code_action(ls: WellnessServer, params: types.CodeActionParams) -> list[types.CodeAction] | None:
        buf = ls.buffers.get(params.text_document.uri)
        if buf is None:
            return None
        only = params.context.only if params.context else None
        if only and not any(k in ("", types.CodeActionKind.QuickFix) for k in only):
            return []
        return ls.code_actions(buf, params.range)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: WellnessServer, params: types.HoverParams) -> types.Hover | None:
        buf = ls.buffers.get(params.text_document.uri)
        if buf is None:
            return None
        return ls.hover(buf, params.position)

    return server


def main(argv: list[str] | None = None) -> int:
    """Run the server on stdin/stdout until the client says ``exit`` or closes the pipe."""
    level = os.environ.get("WELLNESSLINT_LSP_LOG")
    logging.basicConfig(level=getattr(logging, level.upper(), logging.WARNING) if level else logging.WARNING)
    if not level:
        logging.getLogger("pygls").setLevel(logging.CRITICAL)  # stderr stays quiet unless asked
    server = create_server()
    server.start_io()
    return 0 if server.protocol._shutdown else 1
