"""Command line: ``wellnesslint check [PATH ...]``, ``wellnesslint rules``, ``wellnesslint rule CODE``.

Exit codes (as ruff): 0 no finding at or above ``--fail-on``; 1 such findings; 2 usage errors,
a broken configuration or team rule, or files that could not be read (each reported as one line
on stderr; the other files are still linted and reported).

The check itself (settings, parallel linting, filters, baseline, output) is in ``runner.py``.

Only the standard library is imported at start-up; the engine and the reporters are imported
when they are needed.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:
    import argparse

from . import __version__

FORMATS = ("markdown", "html", "text")
LANGS = ("auto", "nl", "en")
OUTPUT_FORMATS = ("full", "concise", "json", "json-lines", "sarif", "github", "gitlab", "junit", "html")
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def build_parser() -> argparse.ArgumentParser:
    import argparse

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
    check.add_argument("--lang", choices=LANGS, help="language of the copy (default: from the configuration, else auto)")
    check.add_argument("--output-format", choices=OUTPUT_FORMATS, default="full", help="output format (default: full)")
    check.add_argument("--no-color", action="store_true", help="no ANSI colours (also: NO_COLOR=1)")
    check.add_argument(
        "--fail-on",
        choices=("error", "warning", "info"),
        help="lowest severity that makes the exit code 1 (default: from the configuration, else warning)",
    )
    _add_check_options(check, sub)
    check.add_argument("-q", "--quiet", action="store_true", help="print findings only, no summary")
    check.add_argument("--exit-zero", action="store_true", help="exit 0 even when there are findings")
    # fixes (wellnesslint/fix.py): rewrites change what the copy says, so they are all unsafe
    check.add_argument("--fix", action="store_true", help="apply safe fixes to the files (with --unsafe-fixes: also rewrites and disclaimer paragraphs)")
    check.add_argument("--unsafe-fixes", action="store_true", help="include unsafe fixes (balanced rewrites, disclaimer paragraphs) in --fix and --diff")
    check.add_argument("--diff", action="store_true", help="print a unified diff of what --fix would change and write nothing")

    # editor integrations (wellnesslint/lsp.py, wellnesslint/serve.py; imported only when they run)
    lsp = sub.add_parser("lsp", help="run the language server on stdin/stdout (for editors)",
                         description="Speak the Language Server Protocol over stdin/stdout.")
    lsp.add_argument("--stdio", action="store_true", help="accepted for clients that pass it; stdio is the only transport")
    serve = sub.add_parser("serve", help="start the local review page for copy editors",
                           description="Serve the review page at http://127.0.0.1:PORT/ (this machine only).")
    serve.add_argument("--port", type=int, default=8765, help="port to listen on (default: 8765; 0 picks a free one)")
    serve.add_argument("--host", default="127.0.0.1",
                       help="interface to bind (default: 127.0.0.1); anything else exposes your drafts to the network")
    serve.add_argument("--open", action="store_true", help="open the page in a web browser")
    return parser


def _add_check_options(check: argparse.ArgumentParser, sub) -> None:
    """Configuration, filters, outputs and parallelism of ``check`` (see runner.py); ``rules``, ``rule``."""
    codes = "comma-separated rule codes, prefixes (WL1) or categories"
    check.add_argument("--config", metavar="PATH", help="use this configuration file (.wellnesslint.yaml or pyproject.toml) for every input")
    check.add_argument("--select", action="append", metavar="CODES", help=f"only these rules ({codes}; ALL for every rule); replaces the configuration's selection")
    check.add_argument("--extend-select", action="append", metavar="CODES", help=f"also these rules ({codes})")
    check.add_argument("--ignore", action="append", metavar="CODES", help=f"not these rules ({codes})")
    check.add_argument("--profile", choices=("default", "strict"), help="rule profile (default: from the configuration, else default)")
    check.add_argument("--show-settings", action="store_true", help="print the resolved settings for the first PATH and exit")
    check.add_argument("--force-exclude", action="store_true", help="apply `exclude` to files named on the command line too (for pre-commit)")
    check.add_argument("--ignore-suppressions", action="store_true", help="ignore wellnesslint-disable comments and report everything")
    check.add_argument("--baseline", metavar="FILE", help="report only findings that are not in this baseline file")
    check.add_argument("--update-baseline", action="store_true", help="write all current findings to the --baseline FILE and exit")
    check.add_argument("-o", "--output-file", metavar="FILE", help="write the report to FILE instead of standard output")
    check.add_argument("--statistics", action="store_true", help="print the number of findings per rule instead of the findings")
    check.add_argument("-j", "--jobs", type=_positive_int, metavar="N", help="lint N files at a time (default: all cores, for 8 files or more)")
    check.add_argument("--cache", action="store_true",
                       help="reuse the findings of files unchanged since an earlier --cache run (kept in the user cache folder)")
    check.add_argument("--max-file-size", type=_size_mb, metavar="MB",
                       help="refuse files larger than this many megabytes (default: 20; 0: no limit)")

    rules = sub.add_parser("rules", help="list all rules", description="List every rule (both languages, and the team's own rules from the configuration).")
    rules.add_argument("--output-format", choices=("text", "json"), default="text", help="output format (default: text)")
    rules.add_argument("--config", metavar="PATH", help="configuration file whose team rules to include (default: the nearest one)")
    rule = sub.add_parser("rule", help="explain one rule", description="Explain a rule: what it finds, why it matters (legal basis), examples, how to fix.")
    rule.add_argument("code", metavar="CODE", help="a rule code such as WL101")
    rule.add_argument("--lang", choices=("nl", "en"), help="only this language's text and examples")
    rule.add_argument("--output-format", choices=("text", "json"), default="text", help="output format (default: text)")
    rule.add_argument("--config", metavar="PATH", help="configuration file whose team rules to include (default: the nearest one)")


def _size_mb(text: str) -> float:
    import argparse

    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value >= 0 or value == float("inf"):
        raise argparse.ArgumentTypeError("must be a number of megabytes, 0 or more")
    return value


def _positive_int(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


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


def _error(path: str, message: str) -> None:
    print(f"{path}: error: {message}", file=sys.stderr)


def run_check(args: argparse.Namespace) -> int:
    from .runner import check

    return check(args, use_color=use_color)


def run_rules(args: argparse.Namespace) -> int:
    """``wellnesslint rules`` and ``wellnesslint rule CODE``."""
    from . import ruledocs
    from .runner import _catalog_for, overrides_from
    from .config import Resolver
    from .yamlload import DataError

    try:
        settings = Resolver(overrides_from(args)).settings_for(".")
        catalog = _catalog_for([settings])
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_ERROR
    if args.command == "rules":
        out = ruledocs.rules_json(catalog) if args.output_format == "json" else ruledocs.rules_table(catalog)
    else:
        code = args.code.strip().upper()
        doc = catalog.get(code)
        if doc is None:
            print(f"error: unknown rule code {args.code!r} (`wellnesslint rules` lists them)", file=sys.stderr)
            return EXIT_ERROR
        if args.output_format == "json":
            import json

            out = json.dumps(ruledocs.rule_data(doc), ensure_ascii=False, indent=2) + "\n"
        else:
            out = ruledocs.explain(doc, args.lang)
    sys.stdout.write(out)
    return EXIT_OK


# --------------------------------------------------------------------------- quick parse
#
# Building the argparse parser (three subcommands, forty options; argparse and what it imports)
# is a good part of a one-file run such as a pre-commit hook's. The common `check` command lines
# -- some of the flags and choices below, then the paths -- are read without it, into exactly
# the namespace argparse gives (tests/test_cli.py compares them); anything else (another
# command or option, an abbreviation, a path that starts with "-", --help, an error) goes to
# argparse.

_QUICK_FLAGS = {
    "--no-color": "no_color",
    "--force-exclude": "force_exclude",
    "--ignore-suppressions": "ignore_suppressions",
    "-q": "quiet",
    "--quiet": "quiet",
    "--exit-zero": "exit_zero",
    "--statistics": "statistics",
    "--cache": "cache",
}
_QUICK_CHOICES = {
    "--format": ("format", FORMATS),
    "--lang": ("lang", LANGS),
    "--output-format": ("output_format", OUTPUT_FORMATS),
    "--fail-on": ("fail_on", ("error", "warning", "info")),
    "--profile": ("profile", ("default", "strict")),
}
_QUICK_VALUES = {"--jobs": "jobs", "-j": "jobs", "--config": "config"}
CHECK_DEFAULTS = {
    "command": "check", "paths": [], "stdin_filename": None, "format": None, "lang": None,
    "output_format": "full", "no_color": False, "fail_on": None, "config": None, "select": None,
    "extend_select": None, "ignore": None, "profile": None, "show_settings": False,
    "force_exclude": False, "ignore_suppressions": False, "baseline": None, "update_baseline": False,
    "output_file": None, "statistics": False, "jobs": None, "max_file_size": None, "quiet": False,
    "exit_zero": False, "fix": False, "unsafe_fixes": False, "diff": False, "cache": False,
}


class _Args:
    """The namespace of a quickly parsed command line (argparse.Namespace without argparse)."""

    def __init__(self, **values) -> None:
        self.__dict__.update(values)

    def __repr__(self) -> str:
        return "Namespace(" + ", ".join(f"{k}={v!r}" for k, v in self.__dict__.items()) + ")"


def quick_parse(argv: Sequence[str]) -> _Args | None:
    """``check`` with known flags and then paths, as argparse reads it; None for anything else."""
    if not argv or argv[0] != "check":
        return None
    values = dict(CHECK_DEFAULTS)
    paths: list[str] = []
    state = 0  # 0: before the paths, 1: in them, 2: an option after them (no more paths)
    i = 1
    while i < len(argv):
        arg = argv[i]
        i += 1
        if not isinstance(arg, str):
            return None
        if not arg.startswith("-"):
            if state == 2:
                return None  # paths on both sides of an option: argparse reports that
            state = 1
            paths.append(arg)
            continue
        if state == 1:
            state = 2
        name, eq, value = arg.partition("=")
        if name in _QUICK_FLAGS and not eq:
            values[_QUICK_FLAGS[name]] = True
            continue
        if name not in _QUICK_CHOICES and name not in _QUICK_VALUES:
            return None
        if not eq:
            if i >= len(argv) or not isinstance(argv[i], str) or argv[i].startswith("-"):
                return None
            value = argv[i]
            i += 1
        if name in _QUICK_CHOICES:
            dest, choices = _QUICK_CHOICES[name]
            if value not in choices:
                return None
            values[dest] = value
        elif _QUICK_VALUES[name] == "jobs":
            try:
                jobs = int(value)  # as _positive_int
            except ValueError:
                return None
            if jobs < 1:
                return None
            values["jobs"] = jobs
        else:
            values[_QUICK_VALUES[name]] = value
    values["paths"] = paths
    return _Args(**values)


def main(argv: Sequence[str] | None = None) -> int:
    args = quick_parse(sys.argv[1:] if argv is None else list(argv))
    if args is None:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help, --version, usage errors
            return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else EXIT_ERROR)
        if args.command is None:
            parser.print_help(sys.stderr)
            return EXIT_ERROR
    if args.command in ("rules", "rule"):
        try:
            return run_rules(args)
        except BrokenPipeError:
            return EXIT_OK
    if args.command == "lsp":
        from .lsp import main as lsp_main

        return lsp_main()
    if args.command == "serve":
        from .serve import main as serve_main

        return serve_main(args)
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
