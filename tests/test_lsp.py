"""The language server, driven as an editor would: the real ``python -m wellnesslint lsp`` process
over stdio, with JSON-RPC framing written out here (a client needs nothing else).

Every read has a deadline; nothing sleeps. Unit tests at the end cover position conversion
(UTF-16 with emoji, UTF-8, line breaks LSP does not count) and the code-action edits with
findings that carry suggestions.
"""

from __future__ import annotations

import itertools
import json
import os
import pathlib
import queue
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip("pygls", reason="pygls is not installed (it is a dependency of wellnesslint)")

import wellnesslint  # noqa: E402

PACKAGE_ROOT = pathlib.Path(wellnesslint.__file__).resolve().parent.parent
TIMEOUT = 20.0

DRAFT = (
    "# Microdosing 🍄\n"
    "\n"
    "🍄🍄 Microdosing geneest depressie. Het is 100% veilig.\n"
    "\n"
    "Stop met je antidepressiva, je hebt ze niet meer nodig.\n"
)


def utf16_len(s: str) -> int:
    return len(s.encode("utf-16-le")) // 2


def lsp_position(text: str, offset: int) -> dict:
    """UTF-16 LSP position of a code-point offset (text with \\n line breaks only)."""
    before = text[:offset]
    line = before.count("\n")
    col = utf16_len(before[before.rfind("\n") + 1 :])
    return {"line": line, "character": col}


def offset_of(text: str, pos: dict) -> int:
    """Code-point offset of a UTF-16 LSP position (text with \\n line breaks)."""
    lines = text.split("\n")
    base = sum(len(l) + 1 for l in lines[: pos["line"]])
    units = 0
    for i, ch in enumerate(lines[pos["line"]]):
        if units >= pos["character"]:
            return base + i
        units += utf16_len(ch)
    return base + len(lines[pos["line"]])


def text_at(text: str, rng: dict) -> str:
    """The text an LSP range covers."""
    return text[offset_of(text, rng["start"]) : offset_of(text, rng["end"])]


class Client:
    """Minimal LSP client: Content-Length framing over the server's pipes, reads with deadlines."""

    def __init__(self, proc: subprocess.Popen) -> None:
        self.proc = proc
        self.inbox: queue.Queue = queue.Queue()
        self.ids = itertools.count(1)
        self.backlog: list[dict] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        out = self.proc.stdout
        try:
            while True:
                length = None
                while True:
                    line = out.readline()
                    if not line:
                        self.inbox.put(None)
                        return
                    line = line.strip()
                    if not line:
                        break
                    name, _, value = line.partition(b":")
                    if name.lower() == b"content-length":
                        length = int(value)
                assert length is not None, "a message without Content-Length"
                body = out.read(length)
                self.inbox.put(json.loads(body))
        except Exception as exc:  # pragma: no cover - surfaces as a test failure
            self.inbox.put(exc)

    def send_raw(self, body: bytes) -> None:
        self.proc.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
        self.proc.stdin.flush()

    def send(self, message: dict) -> None:
        self.send_raw(json.dumps({"jsonrpc": "2.0", **message}).encode("utf-8"))

    def notify(self, method: str, params: dict) -> None:
        self.send({"method": method, "params": params})

    def request(self, method: str, params) -> int:
        msg_id = next(self.ids)
        self.send({"id": msg_id, "method": method, "params": params})
        return msg_id

    def _next(self, deadline: float) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError
        try:
            msg = self.inbox.get(timeout=remaining)
        except queue.Empty:
            raise TimeoutError from None
        if msg is None:
            raise EOFError("the server closed its output")
        if isinstance(msg, Exception):
            raise msg
        return msg

    def wait(self, predicate, timeout: float = TIMEOUT, what: str = "a message") -> dict:
        for i, msg in enumerate(self.backlog):
            if predicate(msg):
                return self.backlog.pop(i)
        deadline = time.monotonic() + timeout
        while True:
            try:
                msg = self._next(deadline)
            except TimeoutError:
                raise AssertionError(f"timed out waiting for {what}; got meanwhile: {self.backlog[-5:]}") from None
            if predicate(msg):
                return msg
            if msg.get("method") == "workspace/configuration" or msg.get("method") == "client/registerCapability":
                self.send({"id": msg["id"], "result": None})
            self.backlog.append(msg)

    def response(self, msg_id, timeout: float = TIMEOUT) -> dict:
        return self.wait(lambda m: m.get("id") == msg_id and "method" not in m, timeout, f"the response to {msg_id}")

    def call(self, method: str, params) -> dict:
        return self.response(self.request(method, params))

    def diagnostics(self, uri: str, version: int | None = None) -> list[dict]:
        def match(m):
            p = m.get("params") or {}
            return (
                m.get("method") == "textDocument/publishDiagnostics"
                and p.get("uri") == uri
                and (version is None or p.get("version") == version)
            )

        return self.wait(match, what=f"diagnostics for {uri} v{version}")["params"]["diagnostics"]


@pytest.fixture
def server(tmp_path):
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(PACKAGE_ROOT), env.get("PYTHONPATH")]))
    stderr = open(tmp_path / "server.stderr", "wb")  # a file, not a pipe: a full pipe would block the server
    proc = subprocess.Popen(
        [sys.executable, "-m", "wellnesslint", "lsp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=stderr,
        cwd=tmp_path,
        env=env,
    )
    client = Client(proc)
    try:
        yield client
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=TIMEOUT)
        stderr.close()


def initialize(client: Client, root: pathlib.Path, **options) -> dict:
    result = client.call(
        "initialize",
        {
            "processId": os.getpid(),
            "rootUri": root.as_uri(),
            "capabilities": {
                "general": {"positionEncodings": ["utf-16"]},
                "textDocument": {"publishDiagnostics": {"versionSupport": True}},
            },
            "initializationOptions": {"debounce": 0, **options},  # debounce 0: lint each change at once
        },
    )
    assert "error" not in result, result
    client.notify("initialized", {})
    return result["result"]


def open_doc(client: Client, uri: str, text: str, language: str = "markdown", version: int = 1) -> list[dict]:
    client.notify(
        "textDocument/didOpen",
        {"textDocument": {"uri": uri, "languageId": language, "version": version, "text": text}},
    )
    return client.diagnostics(uri, version)


def by_rule(diagnostics: list[dict]) -> dict[str, dict]:
    return {d["code"]: d for d in diagnostics}


def test_session(server: Client, tmp_path):
    """initialize, didOpen, diagnostics, incremental and full didChange, codeAction, hover,
    malformed messages, shutdown, exit."""
    caps = initialize(server, tmp_path, debounce=150)["capabilities"]  # as in an editor: lint after a pause
    assert caps["textDocumentSync"]["change"] == 2  # incremental
    assert caps["codeActionProvider"]
    assert caps["hoverProvider"]
    assert caps.get("positionEncoding", "utf-16") == "utf-16"

    uri = (tmp_path / "microdosing.md").as_uri()
    text = DRAFT
    diags = open_doc(server, uri, text)
    rules = by_rule(diags)
    assert {"WL101", "WL301", "WL501"} <= set(rules), diags
    for d in diags:
        assert d["source"] == "wellnesslint"
    cure = rules["WL101"]
    assert cure["severity"] == 1
    # two astral emoji before the claim: 4 UTF-16 code units, 2 code points
    start = text.index("geneest depressie")
    assert cure["range"]["start"] == lsp_position(text, start) == {"line": 2, "character": 17}
    assert text_at(text, cure["range"]) == "geneest depressie"
    assert text_at(text, rules["WL301"]["range"]) == "100% veilig"

    # incremental edit: delete the safety claim " Het is 100% veilig."
    claim = " Het is 100% veilig."
    s = text.index(claim)
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [
                {"range": {"start": lsp_position(text, s), "end": lsp_position(text, s + len(claim))}, "text": ""}
            ],
        },
    )
    text = text[:s] + text[s + len(claim) :]
    rules = by_rule(server.diagnostics(uri, 2))
    assert "WL301" not in rules and {"WL101", "WL501"} <= set(rules)
    assert text_at(text, rules["WL101"]["range"]) == "geneest depressie"

    # incremental edit that inserts an emoji before the claim: the range moves by 2 units
    at = text.index("Microdosing geneest")
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 3},
            "contentChanges": [
                {"range": {"start": lsp_position(text, at), "end": lsp_position(text, at)}, "text": "✨🌱 "}
            ],
        },
    )
    text = text[:at] + "✨🌱 " + text[at:]
    rules = by_rule(server.diagnostics(uri, 3))
    assert rules["WL101"]["range"]["start"] == {"line": 2, "character": 17 + 4}
    assert text_at(text, rules["WL101"]["range"]) == "geneest depressie"

    # code action on the cure claim
    resp = server.call(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": rules["WL101"]["range"],
            "context": {"diagnostics": [rules["WL101"]], "only": ["quickfix"]},
        },
    )
    assert "error" not in resp, resp
    actions = resp["result"] or []
    for action in actions:  # whatever is offered is a well-formed quick fix with an edit on this document
        assert action["kind"] == "quickfix"
        edits = action["edit"]["changes"][uri]
        assert edits and all("range" in e and isinstance(e["newText"], str) for e in edits)

    # hover on the claim: rationale and legal basis
    hover = server.call(
        "textDocument/hover",
        {"textDocument": {"uri": uri}, "position": rules["WL101"]["range"]["start"]},
    )["result"]
    value = hover["contents"]["value"]
    assert "WL101" in value and "Geneesmiddelenwet" in value and "https://" in value
    assert server.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})[
        "result"
    ] is None

    # full-document sync: the client may always send the whole text
    text = "Onze truffels zijn een natuurlijk alternatief. Je hebt geen therapie meer nodig.\n"
    server.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 4}, "contentChanges": [{"text": text}]},
    )
    rules = by_rule(server.diagnostics(uri, 4))
    assert "WL101" not in rules

    # malformed messages are answered, and the server lives on
    server.send_raw(b"{this is not json")
    err = server.wait(lambda m: "error" in m and m.get("id") is None, what="a parse error")
    assert err["error"]["code"] == -32700
    server.send_raw(b"[1, 2, 3]")
    err = server.wait(lambda m: "error" in m and m.get("id") is None, what="an invalid-request error")
    assert err["error"]["code"] == -32600
    server.send_raw(b"[" * 100_000 + b"]" * 100_000)  # too deep for the JSON decoder
    err = server.wait(lambda m: "error" in m and m.get("id") is None, what="a parse error for deep nesting")
    assert err["error"]["code"] == -32700
    bad = server.request("textDocument/hover", {"textDocument": 42, "position": "here"})
    assert server.response(bad)["error"]["code"] == -32602
    unknown = server.request("wellnesslint/noSuchMethod", {})
    assert server.response(unknown)["error"]["code"] == -32601
    server.send_raw(b'{"jsonrpc": "2.0", "id": 901, "method": 5}')
    assert server.response(901)["error"]["code"] == -32600
    server.send_raw(b'{"id": 902, "method": "textDocument/hover"}')  # no "jsonrpc"
    assert server.response(902)["error"]["code"] == -32600
    server.send_raw(b'{"jsonrpc": "1.0", "id": 903, "method": "shutdown"}')
    assert server.response(903)["error"]["code"] == -32600
    # a lone surrogate escape in a URI: an unknown document, answered normally
    server.send_raw(b'{"jsonrpc": "2.0", "id": 904, "method": "textDocument/hover", '
                    b'"params": {"textDocument": {"uri": "file:///\\ud800.md"}, "position": {"line": 0, "character": 0}}}')
    assert server.response(904).get("result") is None
    server.notify("textDocument/didChange", {"textDocument": {"uri": "file:///not/open.md", "version": 1}, "contentChanges": []})
    server.notify("textDocument/didOpen", {"textDocument": "broken"})
    # a range past the end of the document is clamped, not a crash
    server.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": uri, "version": 5},
            "contentChanges": [
                {"range": {"start": {"line": 99, "character": 0}, "end": {"line": 120, "character": 9}}, "text": "\nMicrodosing geneest angst.\n"}
            ],
        },
    )
    rules = by_rule(server.diagnostics(uri, 5))
    assert "WL101" in rules
    alive = server.call("textDocument/hover", {"textDocument": {"uri": uri}, "position": rules["WL101"]["range"]["start"]})
    assert "WL101" in alive["result"]["contents"]["value"]

    # close clears the diagnostics
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert server.diagnostics(uri) == []

    # shutdown, then exit: the process ends with status 0
    assert server.call("shutdown", None)["result"] is None
    late = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 0}})
    assert server.response(late)["error"]["code"] == -32600
    server.notify("exit", None)
    assert server.proc.wait(timeout=TIMEOUT) == 0


def test_html_and_plaintext(server: Client, tmp_path):
    initialize(server, tmp_path)
    html_uri = (tmp_path / "page.html").as_uri()
    html = "<html lang=\"nl\"><body>\n<p>🍄 Microdosing <strong>geneest</strong> depressie.</p>\n</body></html>\n"
    rules = by_rule(open_doc(server, html_uri, html, "html"))
    assert "WL101" in rules
    assert text_at(html, rules["WL101"]["range"]).startswith("geneest")
    txt_uri = (tmp_path / "notes.txt").as_uri()
    rules = by_rule(open_doc(server, txt_uri, "Onze truffels zijn 100% veilig en je hebt er geen last van.\n", "plaintext"))
    assert "WL301" in rules
    # a document of another language is left alone
    py_uri = (tmp_path / "script.py").as_uri()
    assert open_doc(server, py_uri, "# Microdosing geneest depressie.\n", "python") == []


def test_code_action_applies_suggestion(server: Client, tmp_path):
    """The quick fix replaces the flagged span with the suggested rewrite (needs the rewrite engine)."""
    initialize(server, tmp_path)
    uri = (tmp_path / "shop.md").as_uri()
    text = DRAFT
    diags = open_doc(server, uri, text)
    cure = by_rule(diags)["WL101"]
    actions = server.call(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": cure["range"], "context": {"diagnostics": [cure]}},
    )["result"]
    from wellnesslint.engine import lint_text

    if not any(f.suggestion for f in lint_text(text, format="markdown")):
        pytest.skip("findings carry no suggestion yet (the rewrite issue is not merged); edits are unit-tested below")
    assert actions, "a finding with a suggestion must offer a quick fix"
    edit = actions[0]["edit"]["changes"][uri][0]
    new_text = edit["newText"]
    assert new_text and "geneest depressie" not in new_text
    start, end = offset_of(text, edit["range"]["start"]), offset_of(text, edit["range"]["end"])
    assert start <= text.index("geneest depressie") < end  # the edit covers the claim
    revised = text[:start] + new_text + text[end:]
    assert "WL101" not in by_rule(lint_diags(server, uri, revised, 2))


def lint_diags(server: Client, uri: str, text: str, version: int) -> list[dict]:
    server.notify("textDocument/didChange", {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": text}]})
    return server.diagnostics(uri, version)


def test_disclaimer_action(server: Client, tmp_path):
    """missing_disclaimer findings with a suggested paragraph offer to insert it (needs the document checks)."""
    initialize(server, tmp_path)
    uri = (tmp_path / "truffels.md").as_uri()
    text = "# Truffels\n\nMicrodosing met truffels: onze kuur duurt vier weken.\n"
    diags = open_doc(server, uri, text)
    missing = [d for d in diags if "missing_disclaimer" in json.dumps(d.get("data"))]
    if not missing:
        pytest.skip("no missing_disclaimer findings yet (the document-checks issue is not merged)")
    actions = server.call(
        "textDocument/codeAction",
        {"textDocument": {"uri": uri}, "range": missing[0]["range"], "context": {"diagnostics": missing}},
    )["result"] or []
    from wellnesslint.engine import lint_text

    if not any(f.suggestion for f in lint_text(text, format="markdown") if f.category == "missing_disclaimer"):
        pytest.skip("missing_disclaimer findings carry no suggested paragraph yet (the rewrite issue)")
    inserts = [a for a in actions if "disclaimer" in a["title"]]
    assert len(inserts) == 1, actions  # one paragraph covers every missing element
    assert inserts[0]["edit"]["changes"][uri][0]["newText"].strip()


def test_utf8_position_encoding(server: Client, tmp_path):
    result = server.call(
        "initialize",
        {"processId": None, "rootUri": None, "capabilities": {"general": {"positionEncodings": ["utf-8", "utf-16"]}},
         "initializationOptions": {"debounce": 0, "lang": "nl"}},
    )["result"]
    assert result["capabilities"]["positionEncoding"] == "utf-8"
    server.notify("initialized", {})
    uri = (tmp_path / "a.md").as_uri()
    text = "🍄 Microdosing geneest depressie.\n"
    cure = by_rule(open_doc(server, uri, text))["WL101"]
    assert cure["range"]["start"] == {"line": 0, "character": len("🍄 Microdosing ".encode("utf-8"))}


def test_project_configuration(server: Client, tmp_path):
    """The nearest .wellnesslint.yaml applies, suppression comments too; a broken one is reported."""
    project = tmp_path / "site"
    (project / "blog").mkdir(parents=True)
    config = project / ".wellnesslint.yaml"
    config.write_text("ignore: [WL301]\n", encoding="utf-8")
    initialize(server, project)
    uri = (project / "blog" / "post.md").as_uri()
    text = DRAFT + "\n<!-- wellnesslint-disable-next-line WL501 -->\nStop met je medicatie.\n"
    diags = open_doc(server, uri, text)
    rules = by_rule(diags)
    assert "WL101" in rules and "WL301" not in rules
    # the second "Stop met je ..." (line 7) is suppressed by the comment above it
    assert [d["range"]["start"]["line"] for d in diags if d["code"] == "WL501"] == [4]

    config.write_text("lang: klingon\n", encoding="utf-8")
    os.utime(config, ns=(time.time_ns(), time.time_ns() + 10**9))  # a new mtime even on coarse clocks
    server.notify("textDocument/didChange",
                  {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": text}]})
    shown = server.wait(lambda m: m.get("method") == "window/showMessage", what="a configuration error")
    assert ".wellnesslint.yaml" in shown["params"]["message"] and "lang" in shown["params"]["message"]
    assert "WL301" in by_rule(server.diagnostics(uri, 2))  # the defaults apply meanwhile


# ---------------------------------------------------------------------------------------------
# in-process unit tests


def test_text_buffer_positions():
    from lsprotocol import types

    from wellnesslint.lsp import TextBuffer

    text = "a🍄b\r\nx\u2028y\x0bz\rlast"
    buf = TextBuffer("file:///t.txt", text, 1, "plaintext", types.PositionEncodingKind.Utf16)
    # LSP lines: "a🍄b", "x\u2028y\x0bz" (U+2028 and \x0b do not break a line), "last"
    assert buf.position_at(text.index("b")) == types.Position(line=0, character=3)
    assert buf.position_at(text.index("z")) == types.Position(line=1, character=4)
    assert buf.position_at(text.index("last")) == types.Position(line=2, character=0)
    assert buf.offset_at(types.Position(line=0, character=3)) == text.index("b")
    assert buf.offset_at(types.Position(line=0, character=2)) == 1  # inside the surrogate pair: rounds down
    assert buf.offset_at(types.Position(line=0, character=99)) == text.index("\r\n")  # past the line end
    assert buf.offset_at(types.Position(line=9, character=0)) == len(text)
    for i in range(len(text) + 1):
        if text[i - 1 : i + 1] != "\r\n":
            assert buf.offset_at(buf.position_at(i)) == i
    buf.apply(types.TextDocumentContentChangePartial(
        range=types.Range(start=types.Position(line=1, character=1), end=types.Position(line=1, character=4)), text="-"))
    assert buf.text == "a🍄b\r\nx-z\rlast"
    buf.apply(types.TextDocumentContentChangeWholeDocument(text="new"))
    assert buf.text == "new" and buf.position_at(3) == types.Position(line=0, character=3)

    utf8 = TextBuffer("file:///t.txt", "é🍄x", 1, "plaintext", types.PositionEncodingKind.Utf8)
    assert utf8.position_at(2) == types.Position(line=0, character=6)
    assert utf8.offset_at(types.Position(line=0, character=6)) == 2


def _server_with(text: str, findings):
    from lsprotocol import types

    from wellnesslint.lsp import TextBuffer, WellnessServer

    server = WellnessServer()
    buf = TextBuffer("file:///d.md", text, 7, "markdown", types.PositionEncodingKind.Utf16)
    buf.findings = list(findings)
    buf.linted_version = (buf.version, buf.text)
    return server, buf


def _finding(text: str, flagged: str, **kw):
    from wellnesslint.models import Finding

    s = text.index(flagged)
    e = s + len(flagged)
    line = text.count("\n", 0, s) + 1
    col = s - (text.rfind("\n", 0, s) + 1) + 1
    defaults = dict(
        path="d.md", line=line, column=col, end_line=line, end_column=col + len(flagged), rule="WL101",
        category="cure_claim", severity="error", message="Medische claim", text=flagged, sentence=flagged,
        offset=s, end_offset=e, lang="nl",
    )
    defaults.update(kw)
    return Finding(**defaults)


def test_code_actions_from_suggestions():
    """Quick fixes from the JSON suggestion shape (1-based line/column, end exclusive), with emoji."""
    from lsprotocol import types

    text = "# 🍄\n\n🍄 Microdosing geneest depressie.\n"
    sentence = "Microdosing geneest depressie."
    s = text.index(sentence)
    rewrite = "Sommige mensen melden dat microdosing hun stemming beïnvloedt; het is geen behandeling voor depressie."
    cure = _finding(text, "geneest depressie", suggestion={
        "replacement": rewrite,
        "start": {"line": 3, "column": s - text.rfind("\n", 0, s)},
        "end": {"line": 3, "column": s - text.rfind("\n", 0, s) + len(sentence)},
        "applicability": "unsafe",
    })
    para = "\n\nMicrodoseren is geen vervanging voor behandeling. Overleg met je arts.\n"
    disclaimers = [
        _finding(text, "Microdosing", rule="WL601", category="missing_disclaimer", severity="warning",
                 element=el, suggestion={"replacement": para, "start": len(text), "end": len(text)})
        for el in ("not_a_substitute", "consult_professional")
    ]
    server, buf = _server_with(text, [cure, *disclaimers])
    rng = buf.range_of(0, len(text))
    actions = server.code_actions(buf, rng)
    assert [a.kind for a in actions] == [types.CodeActionKind.QuickFix] * 2
    fix = next(a for a in actions if "rewrite" in a.title)
    (edit,) = fix.edit.changes[buf.uri]
    assert edit.new_text == rewrite
    # UTF-16: the emoji before the sentence counts 2
    assert edit.range.start == types.Position(line=2, character=3)
    assert edit.range.end == types.Position(line=2, character=3 + len(sentence))
    insert = next(a for a in actions if "disclaimer" in a.title)
    assert "consult_professional" in insert.title and "not_a_substitute" in insert.title
    assert len(insert.diagnostics) == 2  # one paragraph for both elements
    (ins,) = insert.edit.changes[buf.uri]
    assert ins.range.start == ins.range.end == buf.position_at(len(text))
    # a cursor inside the claim only gets the rewrite
    only = server.code_actions(buf, buf.range_of(text.index("geneest") + 2, text.index("geneest") + 2))
    assert [a.title for a in only] == [fix.title]
    # a suggestion that points outside the document offers nothing
    bad = _finding(text, "geneest depressie", suggestion={"replacement": "x", "start": {"line": 40, "column": 1}, "end": {"line": 40, "column": 2}})
    server2, buf2 = _server_with(text, [bad])
    assert server2.code_actions(buf2, buf2.range_of(0, len(text))) == []


def test_workspace_edit_with_document_changes():
    from lsprotocol import types

    from wellnesslint.review import Edit

    server, buf = _server_with("abc", [])
    server.protocol.client_capabilities = types.ClientCapabilities(
        workspace=types.WorkspaceClientCapabilities(workspace_edit=types.WorkspaceEditClientCapabilities(document_changes=True))
    )
    edit = server.workspace_edit(buf, [Edit(1, 2, "X")])
    (change,) = edit.document_changes
    assert change.text_document.version == 7 and change.edits[0].new_text == "X"


def test_hover_markdown_escapes_document_text():
    from wellnesslint.lsp import hover_markdown
    from wellnesslint.review import Edit

    text = "Microdosing geneest depressie."
    f = _finding(text, "geneest depressie")
    md = hover_markdown(f, Edit(0, len(text), "Zie [hier](javascript:alert(1)) *nu*"))
    assert "Geneesmiddelenwet" in md
    assert "\\[hier\\]\\(javascript:alert\\(1\\)\\)" in md and "\\*nu\\*" in md


def test_cli_does_not_import_pygls():
    code = "import sys, wellnesslint.cli as c; c.main(['check', '--help']) if False else None; print('pygls' in sys.modules)"
    env = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=TIMEOUT)
    assert out.stdout.strip() == "False"
    code = (
        "import sys, io, wellnesslint.cli as c\n"
        "sys.stdin = io.TextIOWrapper(io.BytesIO(b'Microdosing geneest depressie.'))\n"
        "c.main(['check', '-', '--quiet'])\n"
        "print('pygls' in sys.modules, 'lsprotocol' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=TIMEOUT)
    assert out.stdout.strip().splitlines()[-1] == "False False"
