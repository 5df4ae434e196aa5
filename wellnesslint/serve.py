"""``wellnesslint serve``: the local review page for copy editors.

A small web app on http://127.0.0.1:PORT/ (standard library only): paste a draft or open a file,
see the claims highlighted in place with message, rationale and suggested rewrite, apply
rewrites, insert the suggested disclaimer paragraph, copy or download the revised text.

Safety (the page handles unpublished drafts):
- binds 127.0.0.1 unless ``--host`` says otherwise (then a warning is printed);
- DNS rebinding: requests whose ``Host`` is not this server's local name and port, and requests
  whose ``Origin`` is not this page, get 403;
- request bodies are limited (:data:`MAX_BODY`, 413 beyond) and must be JSON;
- assets ship in the package (``wellnesslint/web/``), nothing is loaded from elsewhere
  (Content-Security-Policy ``default-src 'none'`` plus ``'self'`` for scripts, styles and fetch);
- the page renders the draft with DOM text nodes only, never as HTML.

API: ``POST /api/lint`` with ``{"text", "format", "lang"}`` returns the findings with
``start``/``end`` as UTF-16 offsets into ``text`` (what JavaScript string indices count),
``offset``/``end_offset`` as code-point offsets (as in :class:`~wellnesslint.models.Finding`),
the rule's rationale and references, and each suggestion's span on the same two scales.
"""

from __future__ import annotations

import ipaddress
import json
import socket
import sys
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from typing import Any
from urllib.parse import urlsplit

from . import __version__

MAX_BODY = 2 * 1024 * 1024  # bytes of a POST body
DRAIN_LIMIT = 64 * 1024 * 1024  # a larger refused body is not read at all: the connection closes
TOO_LARGE = f"draft too large: the limit is {MAX_BODY // (1024 * 1024)} MB"
FORMATS = ("markdown", "html", "text")
LANGS = ("auto", "nl", "en")
LOCAL_NAMES = ("localhost", "127.0.0.1", "[::1]")

ASSETS = {
    "/": ("index.html", "text/html; charset=utf-8"),
    "/index.html": ("index.html", "text/html; charset=utf-8"),
    "/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/app.css": ("app.css", "text/css; charset=utf-8"),
    "/favicon.svg": ("favicon.svg", "image/svg+xml"),
}

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "form-action 'none'; frame-ancestors 'none'; base-uri 'none'"
)


def asset(name: str) -> bytes:
    return resources.files("wellnesslint").joinpath("web", name).read_bytes()


# --------------------------------------------------------------------------------------------
# the lint API (no HTTP in here: tests call it directly)


class BadRequest(ValueError):
    pass


def lint_payload(data: Any) -> dict[str, Any]:
    """``{"text", "format", "lang"}`` -> the review payload. Raises :class:`BadRequest`."""
    if not isinstance(data, dict):
        raise BadRequest("expected a JSON object with text, format and lang")
    text = data.get("text")
    fmt = data.get("format", "markdown")
    lang = data.get("lang", "auto")
    if not isinstance(text, str):
        raise BadRequest("text must be a string")
    if fmt not in FORMATS:
        raise BadRequest(f"format must be one of {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise BadRequest(f"lang must be one of {', '.join(LANGS)}")
    if "\x00" in text:
        raise BadRequest("this is not a text file (it contains NUL characters)")
    return review(text, fmt, lang)


def review(text: str, fmt: str, lang: str = "auto", path: str | None = None) -> dict[str, Any]:
    from .models import LineIndex
    from .review import disclaimer_edits, finding_span, lint_source, rule_for, suggestion_edit, utf16_offsets

    findings = lint_source(text, fmt, path=path, lang=lang)
    lines = LineIndex(text)
    items: list[dict[str, Any]] = []
    points: list[int] = []
    for f in findings:
        start, end = finding_span(f, text, lines)
        item = f.to_dict()
        item.pop("suggestion", None)
        item.update(offset=start, end_offset=end, lang=f.lang)
        info = rule_for(f)
        item["rule_info"] = info.to_dict() if info else None
        edit = suggestion_edit(f, text, lines)
        item["suggestion"] = (
            {"replacement": edit.replacement, "offset": edit.start, "end_offset": edit.end, "applicability": edit.applicability}
            if edit is not None
            else None
        )
        points += [start, end] + ([edit.start, edit.end] if edit else [])
        items.append(item)
    units = iter(utf16_offsets(text, points))
    for item in items:  # the same offsets in UTF-16 code units, for JavaScript
        item["start"], item["end"] = next(units), next(units)
        if item["suggestion"]:
            item["suggestion"]["start"], item["suggestion"]["end"] = next(units), next(units)

    disclaimers = []
    for edit, group in disclaimer_edits(findings, text, lines):
        s16, e16 = utf16_offsets(text, [edit.start, edit.end])
        disclaimers.append(
            {
                "elements": [g.element for g in group if g.element],
                "replacement": edit.replacement,
                "start": s16,
                "end": e16,
                "offset": edit.start,
                "end_offset": edit.end,
            }
        )
    missing: dict[str, dict[str, Any]] = {}
    for f in findings:
        if f.category == "missing_disclaimer" and f.element and f.element not in missing:
            missing[f.element] = {"element": f.element, "rule": f.rule, "message": f.message}
    return {
        "version": __version__,
        "format": fmt,
        "lang": _document_lang(text, fmt, lang, findings),
        "findings": items,
        "missing_elements": list(missing.values()),
        "disclaimers": disclaimers,
    }


def _document_lang(text: str, fmt: str, lang: str, findings) -> str | None:
    if lang != "auto":
        return lang
    try:
        from .documents import load_document
        from .engine import document_language, get_rulesets

        return document_language(load_document(text, fmt), get_rulesets(), "auto")
    except Exception:
        langs = [f.lang for f in findings if f.lang]
        return max(set(langs), key=langs.count) if langs else None


# --------------------------------------------------------------------------------------------
# HTTP


def _is_wildcard(host: str) -> bool:
    try:
        return ipaddress.ip_address(host.strip("[]")).is_unspecified
    except ValueError:
        return False


def allowed_hosts(host: str, port: int) -> set[str]:
    """The ``Host`` header values this server answers to (lower case, with the port)."""
    names = set(LOCAL_NAMES)
    if host not in ("127.0.0.1", "localhost", "::1"):
        names.add(f"[{host}]" if ":" in host and not host.startswith("[") else host)
    if _is_wildcard(host):  # reachable under the machine's own names and addresses
        for name in {socket.gethostname(), socket.getfqdn()}:
            names.add(name)
            try:
                for info in socket.getaddrinfo(name, None):
                    addr = info[4][0]
                    names.add(f"[{addr}]" if ":" in addr else addr)
            except OSError:
                pass
    out = {f"{n.lower()}:{port}" for n in names}
    if port == 80:
        out |= {n.lower() for n in names}
    return out


class ReviewServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, host: str, port: int, *, quiet: bool = False) -> None:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        self.address_family = family
        super().__init__((host.strip("[]"), port), Handler)
        self.quiet = quiet
        self.bound_host = host
        self.hosts = allowed_hosts(host, self.server_address[1])

    @property
    def port(self) -> int:
        return self.server_address[1]

    @property
    def url(self) -> str:
        host = self.bound_host.strip("[]")
        if _is_wildcard(host):
            host = "::1" if ":" in host else "127.0.0.1"
        return f"http://[{host}]:{self.port}/" if ":" in host else f"http://{host}:{self.port}/"


class Handler(BaseHTTPRequestHandler):
    server: ReviewServer
    server_version = "wellnesslint"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a client may take per read: a slow client does not hold a thread forever

    # ---- plumbing

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the stdlib's name
        if not self.server.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _send(self, status: int, body: bytes, content_type: str, extra: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")
        self.send_header("X-Frame-Options", "DENY")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, data: Any) -> None:
        try:
            body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate from the draft (JSON allows "\ud800"): escaped
            body = json.dumps(data).encode("ascii")
        self._send(status, body, "application/json; charset=utf-8", {"Cache-Control": "no-store"})

    def _error(self, status: int, message: str, *, close: bool = False) -> None:
        if close:
            self.close_connection = True
        self._json(status, {"error": message})

    def _local(self) -> bool:
        """Host (and Origin, when sent) name this server: the DNS-rebinding check."""
        host = (self.headers.get("Host") or "").strip().lower()
        if host not in self.server.hosts:
            self._error(HTTPStatus.FORBIDDEN, "forbidden: this page only answers to its local address", close=True)
            return False
        origin = self.headers.get("Origin")
        if origin is not None:
            parts = urlsplit(origin.strip().lower())
            if parts.scheme != "http" or parts.netloc not in self.server.hosts or parts.path not in ("", "/"):
                self._error(HTTPStatus.FORBIDDEN, "forbidden: cross-origin request", close=True)
                return False
        if (self.headers.get("Sec-Fetch-Site") or "").lower() == "cross-site":
            self._error(HTTPStatus.FORBIDDEN, "forbidden: cross-site request", close=True)
            return False
        return True

    def _discard(self, length: int) -> None:
        """Read and drop a body that will not be used (up to :data:`DRAIN_LIMIT`; memory stays flat)."""
        if length > DRAIN_LIMIT:
            return
        try:
            while length > 0:
                chunk = self.rfile.read(min(length, 65536))
                if not chunk:
                    return
                length -= len(chunk)
        except (OSError, TimeoutError):
            pass

    def handle_expect_100(self) -> bool:
        """``Expect: 100-continue``: refuse an oversized body before the client sends it."""
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if length > MAX_BODY:
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE, close=True)
            return False
        return super().handle_expect_100()

    # ---- methods

    def do_GET(self) -> None:  # noqa: N802 - the stdlib's name
        if not self._local():
            return
        path = urlsplit(self.path).path
        if path == "/api/health":
            self._json(HTTPStatus.OK, {"status": "ok", "version": __version__, "max_body": MAX_BODY})
            return
        entry = ASSETS.get(path)
        if entry is None:
            self._error(HTTPStatus.NOT_FOUND, "not found")
            return
        name, ctype = entry
        try:
            body = asset(name)
        except OSError:
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"the package is missing web/{name}")
            return
        self._send(HTTPStatus.OK, body, ctype, {"Content-Security-Policy": CSP, "Cache-Control": "no-cache"})

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        if not self._local():
            return
        if urlsplit(self.path).path != "/api/lint":
            self._error(HTTPStatus.NOT_FOUND, "not found", close=True)
            return
        if self.headers.get("Transfer-Encoding"):
            self._error(HTTPStatus.LENGTH_REQUIRED, "send a Content-Length, not a chunked body", close=True)
            return
        raw_length = self.headers.get("Content-Length")
        if raw_length is None:
            self._error(HTTPStatus.LENGTH_REQUIRED, "Content-Length required", close=True)
            return
        try:
            length = int(raw_length)
            if length < 0:
                raise ValueError
        except ValueError:
            self._error(HTTPStatus.BAD_REQUEST, "bad Content-Length", close=True)
            return
        if length > MAX_BODY:
            self._discard(length)  # so that the client reads the answer instead of a reset connection
            self._error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, TOO_LARGE, close=True)
            return
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if ctype != "application/json":
            self._error(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "send application/json", close=True)
            return
        try:
            body = self.rfile.read(length)
        except (OSError, TimeoutError):
            self.close_connection = True
            return
        if len(body) != length:
            self._error(HTTPStatus.BAD_REQUEST, "incomplete body", close=True)
            return
        try:
            data = json.loads(body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            self._error(HTTPStatus.BAD_REQUEST, "the body is not UTF-8 JSON")
            return
        except RecursionError:  # [[[[...]]]]: the standard library's decoder recurses
            self._error(HTTPStatus.BAD_REQUEST, "the body is nested too deeply")
            return
        try:
            payload = lint_payload(data)
        except BadRequest as exc:
            self._error(HTTPStatus.BAD_REQUEST, str(exc))
            return
        except Exception as exc:  # a broken ruleset or a bug: say so, keep serving
            self._error(HTTPStatus.INTERNAL_SERVER_ERROR, f"could not lint: {type(exc).__name__}: {exc}")
            return
        self._json(HTTPStatus.OK, payload)

    def _not_allowed(self) -> None:
        self._error(HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed", close=True)

    do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed


def start(host: str = "127.0.0.1", port: int = 0, *, quiet: bool = True) -> tuple[ReviewServer, threading.Thread]:
    """Start a server in a background thread (for tests and embedding); ``port=0`` picks a free one."""
    server = ReviewServer(host, port, quiet=quiet)
    thread = threading.Thread(target=server.serve_forever, name="wellnesslint-serve", daemon=True)
    thread.start()
    return server, thread


def main(args: Any) -> int:
    host = args.host or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1", "[::1]"):
        print(
            f"warning: binding {host}: anyone who can reach this machine on port {args.port} can read and lint "
            "drafts through this page. Use the default (127.0.0.1) unless you mean it.",
            file=sys.stderr,
        )
    if host == "localhost":
        host = "127.0.0.1"
    try:
        server = ReviewServer(host, args.port, quiet=False)
    except OSError as exc:
        print(f"error: cannot listen on {host}:{args.port}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    url = server.url
    print(f"wellnesslint review page: {url}  (Ctrl+C stops it)", flush=True)
    if getattr(args, "open", False):
        import webbrowser

        webbrowser.open(url)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
