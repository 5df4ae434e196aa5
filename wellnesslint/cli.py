"""Command line: ``wellnesslint check [PATH ...]``.

Exit codes (as ruff): 0 no finding at or above ``--fail-on``; 1 such findings; 2 usage errors
or files that could not be read (each reported as one line on stderr; the other files are
still linted and reported).

Only the standard library is imported at start-up; the engine and the reporters are imported
when they are needed.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from . import __version__

FORMATS = ("markdown", "html", "text")
LANGS = ("auto", "nl", "en")
OUTPUT_FORMATS = ("full", "concise", "json")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wellnesslint",
        description="Lint wellness marketing copy (Dutch and English) for overclaims and missing disclaimers.",
    )
    parser.add_argument("--version", action="version", version=f"wellnesslint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    check = sub.add_parser(
        "check",
        help="lint files and directories",
        description="Lint Markdown, HTML and text files. Directories are searched recursively for "
        ".md .markdown .html .htm .txt files (hidden, node_modules and git-ignored paths skipped).",
    )
    check.add_argument("paths", nargs="*", metavar="PATH", help='files or directories (default "."); "-" reads stdin')
    check.add_argument(
        "--stdin-filename",
        metavar="NAME",
        help="the name to report for stdin; its extension sets the format (reads stdin when no PATH is given)",
    )
    check.add_argument("--format", choices=FORMATS, help="parse every input as this format (default: by extension, else text)")
    check.add_argument("--lang", choices=LANGS, default="auto", help="language of the copy (default: auto)")
    check.add_argument("--output-format", choices=OUTPUT_FORMATS, default="full", help="output format (default: full)")
    check.add_argument("--no-color", action="store_true", help="no ANSI colours (also: NO_COLOR=1)")
    check.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        default="warning",
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")

    # editor integrations (wellnesslint/lsp.py; imported only when it runs)
    lsp = sub.add_parser("lsp", help="run the language server on stdin/stdout (for editors)",
                         description="Speak the Language Server Protocol over stdin/stdout.")
    lsp.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the only transport")
    return parser


def use_color(no_color: bool, stream) -> bool:
    """--no-color and NO_COLOR win, then FORCE_COLOR, then whether ``stream`` is a terminal."""
    if no_color or os.environ.get("NO_COLOR"):
        return False
    force = os.environ.get("FORCE_COLOR")
    if force and force.lower() not in ("0", "false", "no"):
        return True
    if os.environ.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _read_stdin() -> bytes:
    stream = sys.stdin
    if stream is None:
        return b""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer.read()
    return stream.read().encode("utf-8")


def _error(path: str, message: str) -> None:
    print(f"{path}: error: {message}", file=sys.stderr)


def run_check(args: argparse.Namespace) -> int:
    from . import engine
    from .discover import Entry, discover
    from .documents import format_for_path
    from .reporters import render
    from .source import SourceError, read_source

    try:
        from .yamlload import DataError  # a broken ruleset or configuration file
    except ImportError:  # pragma: no cover

        class DataError(Exception):  # type: ignore[no-redef]
            pass

    paths = list(args.paths) or (["-"] if args.stdin_filename else ["."])
    read_stdin = "-" in paths
    entries: list[Entry] = discover([p for p in paths if p != "-"])

    failed = 0  # inputs that could not be checked
    findings = []
    sources: dict[str, str] = {}

    jobs: list[tuple[str, str | None, bytes | None]] = []  # (display path, format, stdin bytes)
    if read_stdin:
        name = args.stdin_filename or "-"
        jobs.append((name, format_for_path(args.stdin_filename, "text"), _read_stdin()))
    for entry in entries:
        if entry.error is not None:
            _error(entry.path, entry.error)
            failed += 1
            continue
        jobs.append((entry.path, entry.format, None))

    for path, fmt, data in jobs:
        try:
            src = read_source(data if data is not None else path)
        except SourceError as exc:
            _error(path, str(exc))
            failed += 1
            continue
        fmt = args.format or fmt or "text"
        try:
            found = engine.lint_text(src.text, format=fmt, lang=args.lang, path=path)
        except DataError as exc:  # the same for every file: say it once and stop
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        except Exception as exc:  # a bug in a rule must not hide the other files
            _error(path, f"internal error while linting: {type(exc).__name__}: {exc}")
            failed += 1
            continue
        sources[path] = src.text
        findings.extend(found)

    if not jobs and not failed and not args.quiet:
        print("warning: no files to check under the given paths", file=sys.stderr)

    output = render(
        findings,
        args.output_format,
        sources=sources,
        color=use_color(args.no_color, sys.stdout),
        summary=not args.quiet,
        errors=failed,
    )
    if output:
        sys.stdout.write(output)
        sys.stdout.flush()

    if failed:
        return EXIT_ERROR
    threshold = SEVERITY_RANK[args.fail_on]
    if not args.exit_zero and any(SEVERITY_RANK.get(f.severity, 2) >= threshold for f in findings):
        return EXIT_FINDINGS
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_ERROR)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_ERROR
    if args.command == "lsp":
        from .lsp import main as lsp_main

        return lsp_main()
    try:
        return run_check(args)
    except BrokenPipeError:  # `wellnesslint check . | head`
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return EXIT_FINDINGS
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
