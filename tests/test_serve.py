"""The review page's HTTP side: local-only answers, size limits, the lint API, shipped assets."""

from __future__ import annotations

import http.client
import json
import os
import pathlib
import re
import socket
import subprocess
import sys

import pytest

import wellnesslint
from wellnesslint import serve

PACKAGE_ROOT = pathlib.Path(wellnesslint.__file__).resolve().parent.parent
DRAFT = "# Microdosing 🍄\n\n🍄🍄 Microdosing geneest depressie. Het is 100% veilig.\n"


@pytest.fixture(scope="module")
def server():
    srv, _thread = serve.start("127.0.0.1", 0)
    yield srv
    srv.shutdown()
    srv.server_close()


def request(srv, method="GET", path="/", body=None, headers=None, host=None):
    conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=20)
    h = {"Host": host if host is not None else f"127.0.0.1:{srv.port}"}
    h.update(headers or {})
    conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
    for k, v in h.items():
        conn.putheader(k, v)
    data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
    if data is not None and "Content-Length" not in h:
        conn.putheader("Content-Length", str(len(data)))
    conn.endheaders()
    if data is not None:
        try:
            conn.send(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
    resp = conn.getresponse()
    out = resp.status, dict(resp.getheaders()), resp.read()
    conn.close()
    return out


def lint(srv, payload, **kw):
    headers = {"Content-Type": "application/json", **kw.pop("headers", {})}
    return request(srv, "POST", "/api/lint", body=payload, headers=headers, **kw)


def test_page_and_assets(server):
    status, headers, body = request(server, "GET", "/")
    assert status == 200 and b"<textarea" in body
    csp = headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp
    assert headers["X-Content-Type-Options"] == "nosniff"
    # offline: no asset comes from elsewhere
    for name in ("index.html", "app.js", "app.css"):
        text = serve.asset(name).decode()
        assert not re.search(r"""(src|href)=["']?(https?:)?//""", text), name
        assert "cdn" not in text.lower()
    for path in ("/app.js", "/app.css", "/favicon.svg"):
        status, headers, body = request(server, "GET", path)
        assert status == 200 and body
    assert request(server, "GET", "/../../etc/passwd")[0] == 404
    assert request(server, "GET", "/web/app.js")[0] == 404


def test_js_never_uses_inner_html():
    js = serve.asset("app.js").decode()
    assert "innerHTML" not in js and "outerHTML" not in js and "insertAdjacentHTML" not in js
    assert "eval(" not in js and "document.write" not in js


@pytest.mark.parametrize(
    "host",
    [
        "evil.example",
        "evil.example:{port}",
        "127.0.0.1.evil.example:{port}",
        "localhost:1",
        "127.0.0.1:{other}",
        "",
    ],
)
def test_foreign_host_is_refused(server, host):
    host = host.format(port=server.port, other=server.port + 1)
    status, _, body = request(server, "GET", "/", host=host)
    assert status == 403 and b"forbidden" in body
    status, _, _ = lint(server, {"text": "x"}, host=host)
    assert status == 403


@pytest.mark.parametrize("host", ["localhost:{port}", "127.0.0.1:{port}", "[::1]:{port}", "LOCALHOST:{port}"])
def test_local_names_are_accepted(server, host):
    assert request(server, "GET", "/api/health", host=host.format(port=server.port))[0] == 200


@pytest.mark.parametrize("origin", ["http://evil.example", "null", "https://127.0.0.1:{port}", "http://127.0.0.1:{other}",
                                    "http://localhost.evil.example:{port}"])
def test_foreign_origin_is_refused(server, origin):
    origin = origin.format(port=server.port, other=server.port + 1)
    status, _, body = lint(server, {"text": "Microdosing geneest depressie."}, headers={"Origin": origin})
    assert status == 403 and b"cross-origin" in body


def test_same_origin_is_accepted(server):
    status, _, body = lint(server, {"text": DRAFT}, headers={"Origin": f"http://localhost:{server.port}"})
    assert status == 200
    status, _, _ = lint(server, {"text": DRAFT}, headers={"Sec-Fetch-Site": "cross-site"})
    assert status == 403


def test_body_limits(server):
    big = {"text": "a" * (serve.MAX_BODY + 10)}
    status, headers, body = lint(server, big)
    assert status == 413 and b"2 MB" in body
    # a claimed size beyond the limit is refused before reading
    status, _, _ = request(server, "POST", "/api/lint", body=b"{}",
                           headers={"Content-Type": "application/json", "Content-Length": str(10**12)})
    assert status == 413
    assert request(server, "POST", "/api/lint", body=b"{}", headers={"Content-Type": "application/json", "Content-Length": "-5"})[0] == 400
    assert request(server, "POST", "/api/lint", body=b"{}", headers={"Content-Type": "text/plain"})[0] == 415
    # no Content-Length
    conn = socket.create_connection(("127.0.0.1", server.port), timeout=20)
    conn.sendall(f"POST /api/lint HTTP/1.1\r\nHost: 127.0.0.1:{server.port}\r\nContent-Type: application/json\r\n"
                 "Transfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n".encode())
    assert conn.recv(100).startswith(b"HTTP/1.1 411")
    conn.close()
    # just under the limit is fine (padded with JSON whitespace: this tests the limit, not the engine's speed)
    body = b'{"text": "Rustig ademen."}'
    body += b" " * (serve.MAX_BODY - len(body))
    status, _, _ = request(server, "POST", "/api/lint", body=body, headers={"Content-Type": "application/json"})
    assert status == 200
    assert lint(server, {"text": "x"}, headers={})[0] == 200  # the server still answers after all this


@pytest.mark.parametrize(
    "body, message",
    [
        (b"not json", b"not UTF-8 JSON"),
        (b"\xff\xfe", b"not UTF-8 JSON"),
        (b"[]", b"JSON object"),
        (b'{"text": 5}', b"text must be a string"),
        (b'{"text": "x", "format": "pdf"}', b"format must be"),
        (b'{"text": "x", "lang": "de"}', b"lang must be"),
        (b'{"text": "a\\u0000b"}', b"not a text file"),
        (b"[" * 100_000 + b"]" * 100_000, b"nested too deeply"),  # the JSON decoder recurses
    ],
)
def test_bad_requests(server, body, message):
    status, _, out = request(server, "POST", "/api/lint", body=body, headers={"Content-Type": "application/json"})
    assert status == 400 and message in out


def test_no_host_header_is_refused(server):
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
    conn.putrequest("GET", "/", skip_host=True, skip_accept_encoding=True)
    conn.endheaders()
    assert conn.getresponse().status == 403
    conn.close()


def test_lone_surrogates_in_a_draft_are_answered(server):
    """JSON may carry "\\ud800" (a broken emoji pasted into the page); the answer escapes it."""
    text = "\ud83c Microdosing geneest depressie. \udfff"
    status, _, body = request(server, "POST", "/api/lint", body=json.dumps({"text": text, "lang": "nl"}).encode(),
                              headers={"Content-Type": "application/json"})
    assert status == 200
    cure = next(f for f in json.loads(body)["findings"] if f["rule"] == "WL101")
    assert text[cure["offset"] : cure["end_offset"]] == "geneest depressie"
    assert (cure["start"], cure["end"]) == (cure["offset"], cure["end_offset"])  # a lone surrogate is one unit


def test_other_methods_and_paths(server):
    assert request(server, "PUT", "/api/lint", body=b"{}")[0] == 405
    assert request(server, "DELETE", "/")[0] == 405
    assert lint(server, {"text": "x"}, )[0] == 200
    assert request(server, "POST", "/api/other", body=b"{}", headers={"Content-Type": "application/json"})[0] == 404


def test_lint_api(server):
    status, headers, body = lint(server, {"text": DRAFT, "format": "markdown", "lang": "auto"})
    assert status == 200 and headers["Cache-Control"] == "no-store"
    data = json.loads(body)
    assert data["lang"] == "nl" and data["format"] == "markdown"
    cure = next(f for f in data["findings"] if f["rule"] == "WL101")
    # code points for Python, UTF-16 units for JavaScript: two astral emoji before the claim
    at = DRAFT.index("geneest depressie")
    assert (cure["offset"], cure["end_offset"]) == (at, at + len("geneest depressie"))
    assert (cure["start"], cure["end"]) == (at + 3, at + 3 + len("geneest depressie"))  # 3 emoji before
    js = DRAFT.encode("utf-16-le")
    assert js[cure["start"] * 2 : cure["end"] * 2].decode("utf-16-le") == "geneest depressie"
    assert "Geneesmiddelenwet" in cure["rule_info"]["rationale"]
    assert cure["rule_info"]["references"]
    assert cure["category"] == "cure_claim" and cure["message"]
    if cure["suggestion"]:
        s = cure["suggestion"]
        assert js[s["start"] * 2 : s["end"] * 2].decode("utf-16-le") == DRAFT[s["offset"] : s["end_offset"]]
    for key in ("missing_elements", "disclaimers"):
        assert isinstance(data[key], list)


def test_concurrent_requests(server):
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: lint(server, {"text": DRAFT})[0], range(16)))
    assert results == [200] * 16


def test_allowed_hosts():
    assert serve.allowed_hosts("127.0.0.1", 8765) == {"localhost:8765", "127.0.0.1:8765", "[::1]:8765"}
    assert "192.168.1.5:80" in serve.allowed_hosts("192.168.1.5", 80)
    assert "192.168.1.5" in serve.allowed_hosts("192.168.1.5", 80)  # port 80 may be left out
    assert "evil.example:8765" not in serve.allowed_hosts("0.0.0.0", 8765)


def test_cli_serve_binds_localhost_and_warns_elsewhere(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT))
    for args, warned in ((["--port", "0"], False), (["--port", "0", "--host", "0.0.0.0"], True)):
        proc = subprocess.Popen([sys.executable, "-m", "wellnesslint", "serve", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, cwd=tmp_path, env=env)
        try:
            line = proc.stdout.readline().decode()
            assert re.search(r"http://127\.0\.0\.1:\d+/", line), line
        finally:
            proc.terminate()
            _, err = proc.communicate(timeout=20)
        assert (b"warning: binding 0.0.0.0" in err) == warned
    out = subprocess.run([sys.executable, "-m", "wellnesslint", "serve", "--help"], capture_output=True, text=True,
                         env=env, timeout=20)
    assert "127.0.0.1" in out.stdout


def test_cli_serve_port_in_use(tmp_path):
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    port = sock.getsockname()[1]
    try:
        env = dict(os.environ, PYTHONPATH=str(PACKAGE_ROOT))
        out = subprocess.run([sys.executable, "-m", "wellnesslint", "serve", "--port", str(port)], capture_output=True,
                             text=True, env=env, timeout=20, cwd=tmp_path)
    finally:
        sock.close()
    assert out.returncode == 2 and "cannot listen" in out.stderr


def test_installed_package_ships_web_assets(tmp_path):
    """Runs where the package is installed non-editable (as .ci/run does); skipped otherwise."""
    code = (
        "import json, wellnesslint, wellnesslint.serve as s;"
        "print(json.dumps([wellnesslint.__file__, [len(s.asset(n)) for n in ('index.html', 'app.js', 'app.css', 'favicon.svg')]]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    if proc.returncode != 0 and "No module named 'wellnesslint'" in proc.stderr:
        pytest.skip("wellnesslint is not installed in this interpreter")
    assert proc.returncode == 0, proc.stderr
    init, sizes = json.loads(proc.stdout)
    if pathlib.Path(init).resolve().parent == PACKAGE_ROOT / "wellnesslint":
        pytest.skip("wellnesslint is installed in editable mode")
    assert all(sizes)
