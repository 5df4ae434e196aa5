"""``wellnesslint check``: from the paths on the command line to a report and an exit code.

The stages, each in its own module: ``discover`` (which files), ``config`` (the settings of each
file: nearest configuration file plus the command line), ``source`` (bytes to text),
``engine.lint_text`` (findings), then the filters -- rule selection and per-file ignores
(``config``), suppression comments (``suppress``), the baseline (``baseline``) -- and a
reporter (``reporters``).

Many files are linted in parallel (``--jobs``, a process pool; each worker loads the rulesets
once, inherited from the parent where the platform forks); results are collected in input order,
so the output does not depend on the number of jobs. The first, in-process stage (finding the
settings of every file) also loads and checks the configuration and the team's rules, so a
configuration error stops the run before any file is linted.
"""

from __future__ import annotations

import os
import sys
import time
from dataclasses import dataclass, field, replace
from typing import Any, Callable, NamedTuple, Sequence, TextIO

from . import config as cfg
from .models import Finding
from .source import MAX_FILE_SIZE

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}
AUTO_PARALLEL_MIN_FILES = 8  # below this, the default (--jobs not given) lints in this process
PROGRESS_AFTER = 1.0  # seconds before progress is shown on a terminal


class Job(NamedTuple):
    """One input to lint: its reported name, format, stdin bytes and settings."""

    path: str  # the name reported
    fmt: str | None  # from the extension
    data: bytes | None = None  # stdin
    settings: int = 0  # index into the settings table


class Options(NamedTuple):
    """Run-wide options that are the same for every file."""

    format: str | None = None  # --format: parse every input as this format
    ignore_suppressions: bool = False
    max_bytes: int | None = MAX_FILE_SIZE  # --max-file-size; None: no limit
    # which decoded texts the report needs (FileResult.text): "all" (fixes compare every file),
    # "findings" (the full and HTML reports quote the lines of a finding) or "none"; a text not
    # kept is not sent back from a worker process, nor held until the report is written
    keep_text: str = "all"
    cache: bool = False  # --cache: reuse the findings of unchanged files (resultcache.py)


@dataclass
class FileResult:
    """What linting one file gave: findings, the text (when the report needs it) or an error."""

    path: str
    findings: list[Finding] = field(default_factory=list)
    text: str | None = None
    error: str | None = None  # one line: the file could not be checked
    fatal: str | None = None  # one line: a broken ruleset, stop the run


def lint_file(job: Job, options: Options, settings: cfg.Settings) -> FileResult:
    """Read, lint and filter one file. Never raises for problems with the file itself."""
    from . import engine, suppress
    from .custom_rules import RuleTimeout
    from .source import SourceError, read_source
    from .yamlload import DataError

    try:
        src = read_source(job.data if job.data is not None else job.path, options.max_bytes)
    except SourceError as exc:
        return FileResult(job.path, error=str(exc))
    fmt = options.format or job.fmt or "text"
    store = key = found = None
    if options.cache:
        from . import resultcache

        store = resultcache.for_process()
        if store is not None:
            key = store.key(src.text, fmt, settings.lang, settings.profile, settings.rulesets)
            found = store.get(key, job.path) if key is not None else None
    try:
        if found is None:
            found = engine.lint_text(
                src.text,
                format=fmt,
                lang=settings.lang,
                path=job.path,
                profile=settings.profile,
                rulesets_dir=settings.rulesets_key,
            )
            if key is not None:
                store.put(key, found)
    except DataError as exc:
        return FileResult(job.path, fatal=str(exc))
    except RuleTimeout as exc:
        return FileResult(job.path, error=str(exc))
    except Exception as exc:  # a bug in a rule must not hide the other files
        return FileResult(job.path, error=f"internal error while linting: {type(exc).__name__}: {exc}")

    path = job.path
    found = [f for f in found if settings.enabled(f.rule, f.category, path)]
    if not options.ignore_suppressions and fmt in suppress.FORMATS:
        found = suppress.apply(
            found,
            src.text,
            path,
            fmt,
            known=lambda code: code in settings.known,
            enabled=lambda code: settings.enabled(code, settings.known.get(code, ""), path),
        )
        found = [f for f in found if f.rule != suppress.CODE or settings.enabled(f.rule, f.category, path)]
    keep = options.keep_text == "all" or (options.keep_text == "findings" and found)
    return FileResult(path, found, src.text if keep else None)


# --------------------------------------------------------------------------- parallel runs

_WORKER: dict[str, Any] = {}


def _init_worker(options: Options, table: list[cfg.Settings]) -> None:
    from . import custom_rules

    for settings in table:
        if settings.rulesets_key is not None:
            custom_rules.rulesets_key(settings.rulesets)  # inherited when forked; loaded once when spawned
    _WORKER["options"] = options
    _WORKER["table"] = table


def _work(batch: list[tuple[int, Job]]) -> list[tuple[int, FileResult]]:
    options, table = _WORKER["options"], _WORKER["table"]
    return [(i, lint_file(job, options, table[job.settings])) for i, job in batch]


BATCH_SHARE = 4  # a batch is about 1/(BATCH_SHARE * workers) of the bytes still to hand out
BATCH_MIN_BYTES = 16_384


def batches(jobs: Sequence[Job], n_workers: int) -> list[list[int]]:
    """The jobs (indices) in batches for the workers: largest files first, and batches that get
    smaller towards the end (guided scheduling), so that few tasks carry many small files and the
    last tasks are short, which keeps every worker busy until the end."""
    sizes = [_size(job) for job in jobs]
    order = sorted(range(len(jobs)), key=lambda i: -sizes[i])
    remaining = sum(sizes)
    out: list[list[int]] = []
    batch: list[int] = []
    batch_bytes = 0
    target = max(BATCH_MIN_BYTES, remaining // (BATCH_SHARE * n_workers))
    for i in order:
        batch.append(i)
        batch_bytes += sizes[i]
        if batch_bytes >= target:
            out.append(batch)
            remaining -= batch_bytes
            batch, batch_bytes = [], 0
            target = max(BATCH_MIN_BYTES, remaining // (BATCH_SHARE * n_workers))
    if batch:
        out.append(batch)
    return out


def _size(job: Job) -> int:
    if job.data is not None:
        return len(job.data)
    try:
        return os.stat(job.path).st_size
    except (OSError, ValueError):
        return 0


def _pool_context():
    import multiprocessing

    if sys.platform.startswith("linux"):
        try:
            return multiprocessing.get_context("fork")  # workers inherit the loaded rulesets
        except ValueError:  # pragma: no cover
            pass
    return multiprocessing.get_context()


class Progress:
    """``checked 120/456 files`` on a terminal's stderr, once a run has taken over a second."""

    def __init__(self, total: int, stream: TextIO | None, enabled: bool, clock: Callable[[], float] = time.monotonic):
        self.total = total
        self.stream = stream
        self.clock = clock
        self.start = clock()
        self.enabled = enabled and stream is not None and _isatty(stream)
        self.shown = False
        self._last = 0.0

    def update(self, done: int) -> None:
        if not self.enabled:
            return
        now = self.clock()
        if now - self.start < PROGRESS_AFTER or (self.shown and now - self._last < 0.1 and done < self.total):
            return
        self._last = now
        self.shown = True
        self.stream.write(f"\rwellnesslint: checked {done}/{self.total} files")
        self.stream.flush()

    def finish(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self.shown = False


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def run_jobs(
    jobs: Sequence[Job],
    options: Options,
    table: list[cfg.Settings],
    n_jobs: int,
    progress: Progress | None = None,
) -> list[FileResult]:
    """Lint every job; results in the order of ``jobs`` whatever the number of processes."""
    results: list[FileResult | None] = [None] * len(jobs)
    if n_jobs <= 1 or len(jobs) < 2:
        # largest files first, as the workers take them: a big page's passing memory (its parse
        # tree) is freed before the results of the small ones pile up, and is reused for them,
        # so peak memory is the larger of the two rather than their sum
        sizes = [_size(job) for job in jobs]
        for done, i in enumerate(sorted(range(len(jobs)), key=lambda i: -sizes[i]), 1):
            result = results[i] = lint_file(jobs[i], options, table[jobs[i].settings])
            if result.fatal:
                return [r for r in results if r is not None]
            if progress:
                progress.update(done)
        return results  # type: ignore[return-value]

    import gc
    from concurrent.futures import ProcessPoolExecutor, as_completed

    workers = min(n_jobs, len(jobs))
    _warm_up({options.format or job.fmt or "text" for job in jobs}, table)
    gc.freeze()  # forked workers share the loaded rulesets instead of copying them page by page
    try:
        with ProcessPoolExecutor(
            max_workers=workers,
            mp_context=_pool_context(),
            initializer=_init_worker,
            initargs=(options, table),
        ) as pool:
            futures = [pool.submit(_work, [(i, jobs[i]) for i in batch]) for batch in batches(jobs, workers)]
            done = 0
            for future in as_completed(futures):
                for i, result in future.result():
                    results[i] = result
                    done += 1
                if progress:
                    progress.update(done)
    finally:
        gc.unfreeze()
    return results  # type: ignore[return-value]


def _warm_up(formats: set[str], table: Sequence[cfg.Settings]) -> None:
    """Lint a tiny text per format before forking, so the workers inherit every lazily imported
    module, and load every part of the rulesets (cache.py reads them on first use) to share them."""
    from . import cache, custom_rules, engine

    for folders in dict.fromkeys([(), *(settings.rulesets for settings in table)]):
        try:
            cache.load_all(custom_rules.rulesets_for(folders))
        except Exception:  # the real run reports problems, per file
            pass
    for fmt in sorted(formats):
        for settings in table:
            try:
                engine.lint_text("Rustig.", format=fmt, lang=settings.lang, path="<warm-up>",
                                 profile=settings.profile, rulesets_dir=settings.rulesets_key)
            except Exception:  # the real run reports problems, per file
                pass


# --------------------------------------------------------------------------- the command


def _split_codes(values: Sequence[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    out: list[str] = []
    for value in values:
        out.extend(v.strip() for v in value.split(",") if v.strip())
    return tuple(out)


def overrides_from(args: Any) -> cfg.Overrides:
    return cfg.Overrides(
        config=getattr(args, "config", None),
        select=_split_codes(getattr(args, "select", None)),
        extend_select=_split_codes(getattr(args, "extend_select", None)) or (),
        ignore=_split_codes(getattr(args, "ignore", None)) or (),
        lang=getattr(args, "lang", None),
        fail_on=getattr(args, "fail_on", None),
        profile=getattr(args, "profile", None),
    )


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _read_stdin() -> bytes:
    stream = sys.stdin
    if stream is None:
        return b""
    buffer = getattr(stream, "buffer", None)
    if buffer is not None:
        return buffer.read()
    return stream.read().encode("utf-8")


def _catalog_for(table: Sequence[cfg.Settings]):
    """The rule catalog over the built-in rules and every team's rules in this run."""
    from . import catalog, custom_rules

    builtin = custom_rules.builtin_ids()
    merged: dict[str, Any] = {}
    for folders in dict.fromkeys([()] + [s.rulesets for s in table]):
        for code, doc in catalog.build(custom_rules.rulesets_for(folders), builtin).items():
            merged.setdefault(code, doc)
    return dict(sorted(merged.items()))


def check(args: Any, *, use_color: Callable[[bool, Any], bool]) -> int:
    """Run ``wellnesslint check`` with parsed arguments; returns the exit code."""
    from .discover import discover, printable
    from .documents import format_for_path
    from .reporters import write as write_report
    from .yamlload import DataError

    if args.update_baseline and not args.baseline:
        _err("error: --update-baseline needs --baseline FILE (the file to write)")
        return EXIT_ERROR

    try:
        resolver = cfg.Resolver(overrides_from(args))
    except DataError as exc:
        _err(f"error: {exc}")
        return EXIT_ERROR

    paths = list(args.paths) or (["-"] if args.stdin_filename else ["."])
    read_stdin = "-" in paths
    given = [p for p in paths if p != "-"]

    if args.show_settings:
        return _show_settings(resolver, given, args)

    failed = 0
    jobs: list[Job] = []
    table: list[cfg.Settings] = []
    table_index: dict[int, int] = {}

    def settings_index(name: str | None) -> int:
        settings = resolver.settings_for(name)
        key = id(settings)
        if key not in table_index:
            table_index[key] = len(table)
            table.append(settings)
        return table_index[key]

    named = {os.path.normpath(g) for g in given}  # files named on the command line (pre-commit names thousands)
    try:
        if read_stdin:
            name = args.stdin_filename or "-"
            jobs.append(Job(name, format_for_path(args.stdin_filename, "text"), _read_stdin(),
                            settings_index(args.stdin_filename)))
        for entry in discover(given):
            if entry.error is not None:
                _err(f"{printable(entry.path)}: error: {entry.error}")
                failed += 1
                continue
            index = settings_index(entry.path)
            explicit = os.path.normpath(entry.path) in named
            if (not explicit or args.force_exclude) and table[index].excluded(entry.path):
                continue
            jobs.append(Job(entry.path, entry.format, None, index))
    except DataError as exc:  # a configuration or a team rule that is broken: the same for every file
        _err(f"error: {exc}")
        return EXIT_ERROR

    if not jobs and not failed and not args.quiet:
        _err("warning: no files to check under the given paths")

    n_jobs = args.jobs if args.jobs is not None else (os.cpu_count() or 1)
    if args.jobs is None and len(jobs) < AUTO_PARALLEL_MIN_FILES:
        n_jobs = 1
    progress = Progress(len(jobs), sys.stderr, enabled=not args.quiet)
    options = cfg_options(args)
    if options.cache:
        from . import resultcache

        resultcache.start_run()
    try:
        results = run_jobs(jobs, options, table, n_jobs, progress)
    finally:
        progress.finish()

    findings: list[Finding] = []
    sources: dict[str, str] = {}
    fail_on: dict[str, str] = {}
    for job, result in zip(jobs, results):
        if result.fatal:
            _err(f"error: {result.fatal}")
            return EXIT_ERROR
        if result.error is not None:
            _err(f"{printable(result.path)}: error: {result.error}")
            failed += 1
            continue
        sources[result.path] = result.text or ""
        findings.extend(result.findings)
        fail_on[result.path] = table[job.settings].fail_on

    if args.update_baseline:
        from .baseline import BaselineError, write

        try:
            n = write(args.baseline, findings)
        except BaselineError as exc:
            _err(f"error: {exc}")
            return EXIT_ERROR
        if not args.quiet:
            _err(f"wellnesslint: wrote {n} finding{'s' if n != 1 else ''} to the baseline {args.baseline}")
        return EXIT_ERROR if failed else EXIT_OK

    if args.baseline:
        from .baseline import Baseline, BaselineError

        try:
            result = Baseline.load(args.baseline).filter(findings, sources)
        except BaselineError as exc:
            _err(f"error: {exc}")
            return EXIT_ERROR
        findings = result.new
        if not args.quiet and (result.matched or result.stale):
            notes = []
            if result.matched:
                notes.append(f"{result.matched} finding{'s' if result.matched != 1 else ''} in the baseline not shown")
            if result.stale:
                notes.append(f"{result.stale} baseline entr{'ies' if result.stale != 1 else 'y'} no longer found "
                             "(--update-baseline drops them)")
            _err("wellnesslint: " + "; ".join(notes))

    # --- fixes: --diff, --fix [--unsafe-fixes] (fix.py) ---
    if getattr(args, "fix", False) or getattr(args, "diff", False):
        from .fix import run_cli

        def relint(job: Job, data: bytes) -> list[Finding]:
            return lint_file(Job(job.path, job.fmt, data, job.settings), cfg_options(args), table[job.settings]).findings

        findings, code = run_cli(args, jobs, findings, sources, relint)
        if code is not None:
            return code
    # --- end of fixes ---
    needs_rules = args.statistics or args.output_format == "sarif"
    try:
        rules = _catalog_for(table) if needs_rules else None
    except DataError as exc:
        _err(f"error: {exc}")
        return EXIT_ERROR
    to_file = args.output_file is not None
    shown, shown_sources = findings, sources
    if any(printable(path) != path for path in sources):  # file names that are not UTF-8
        shown = [replace(f, path=printable(f.path)) for f in findings]
        shown_sources = {printable(path): text for path, text in sources.items()}
    report = dict(
        sources=shown_sources,
        color=False if to_file else use_color(args.no_color, sys.stdout),
        summary=not args.quiet,
        errors=failed,
        rules=rules,
        statistics=args.statistics,
    )
    if to_file:
        try:
            with open(args.output_file, "w", encoding="utf-8", newline="") as fh:
                write_report(fh, shown, args.output_format, **report)
        except OSError as exc:
            _err(f"error: cannot write {args.output_file}: {exc.strerror or exc}")
            return EXIT_ERROR
    else:
        write_report(sys.stdout, shown, args.output_format, **report)
        sys.stdout.flush()

    if failed:
        return EXIT_ERROR
    if args.exit_zero:
        return EXIT_OK
    for f in findings:
        threshold = SEVERITY_RANK[fail_on.get(f.path, "warning")]
        if SEVERITY_RANK.get(f.severity, 2) >= threshold:
            return EXIT_FINDINGS
    return EXIT_OK


def cfg_options(args: Any) -> Options:
    mb = getattr(args, "max_file_size", None)
    max_bytes = MAX_FILE_SIZE if mb is None else (int(mb * 1_000_000) if mb > 0 else None)
    if getattr(args, "fix", False) or getattr(args, "diff", False):
        keep_text = "all"  # a fix checks that no file changed since it was linted
    elif args.output_format in ("full", "html") and not args.statistics:
        keep_text = "findings"  # the lines of each finding are quoted
    else:
        keep_text = "none"
    return Options(format=args.format, ignore_suppressions=args.ignore_suppressions, max_bytes=max_bytes,
                   keep_text=keep_text, cache=bool(getattr(args, "cache", False)))


def _show_settings(resolver: cfg.Resolver, given: Sequence[str], args: Any) -> int:
    from .discover import discover
    from .yamlload import DataError

    target = given[0] if given else (args.stdin_filename or ".")
    if os.path.isdir(target):
        files = [e.path for e in discover([target]) if e.error is None]
        target = files[0] if files else os.path.join(target, "")
    try:
        settings = resolver.settings_for(target)
        rules = _catalog_for([settings])
    except DataError as exc:
        _err(f"error: {exc}")
        return EXIT_ERROR
    enabled = [code for code, doc in rules.items() if settings.enabled(code, doc.category, target)]
    sys.stdout.write(cfg.show(settings, target, enabled, rules))
    return EXIT_OK
