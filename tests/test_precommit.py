"""The pre-commit hook: manifest and config are valid, and a real (offline) pre-commit run works."""

import importlib.util
import os
import pathlib
import re
import shutil
import subprocess
import sys

import pytest
import yaml

REPO = pathlib.Path(__file__).resolve().parent.parent

pre_commit = pytest.importorskip("pre_commit")
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git not installed")


def pre_commit_cmd(*args, cwd, env=None):
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *args], cwd=cwd, capture_output=True, text=True, env=env
    )


def test_manifest_and_config_are_valid():
    proc = pre_commit_cmd("validate-manifest", ".pre-commit-hooks.yaml", cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = pre_commit_cmd("validate-config", ".pre-commit-config.yaml", cwd=REPO)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "wellnesslint"
    assert hook["entry"] == "wellnesslint check --force-exclude"
    assert hook["language"] == "python"
    # nothing in this repo's own config is fetched from the network
    config = yaml.safe_load((REPO / ".pre-commit-config.yaml").read_text())
    assert {r["repo"] for r in config["repos"]} <= {"local", "meta"}


@needs_git
def test_real_pre_commit_run(tmp_path):
    """Our hook definition, run by pre-commit over a small repository (entry swapped for this
    interpreter so that nothing is installed): types/files select the inputs, errors fail."""
    # the CLI with a stand-in engine: this test is about the hook, not the rules
    runner = tmp_path / "run_wellnesslint.py"
    runner.write_text(
        "import sys, wellnesslint.engine as engine\n"
        "engine.lint_text = lambda text, **kw: []\n"
        "from wellnesslint.cli import main\n"
        "sys.exit(main())\n"
    )
    [hook] = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    entry = hook["entry"].replace("wellnesslint", f"{sys.executable} {runner}", 1)
    hook.update(language="system", entry=entry)
    hook.pop("minimum_pre_commit_version", None)
    hook["args"] = ["--format", "text"]  # nor the format adapters
    config = {"repos": [{"repo": "local", "hooks": [hook]}]}
    (tmp_path / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (tmp_path / "page.md").write_text("# Rust\n\nEen rustige wandeling.\n")
    (tmp_path / "page.html").write_text("<p>Thee.</p>\n")
    (tmp_path / ".gitignore").write_text("run_wellnesslint.py\n")
    (tmp_path / "script.py").write_bytes(b"\x00\x01 not text, but not selected either\n")

    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / ".cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), os.environ.get("PYTHONPATH")])),
    }
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True, env=env)
    subprocess.run(["git", "add", "."], cwd=tmp_path, check=True, env=env)

    proc = pre_commit_cmd("run", "--all-files", cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "wellnesslint" in proc.stdout and "Passed" in proc.stdout

    (tmp_path / "logo.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    subprocess.run(["git", "add", "logo.md"], cwd=tmp_path, check=True, env=env)
    proc = pre_commit_cmd("run", "--all-files", cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert "logo.md: error: binary file (contains NUL bytes)" in proc.stdout


# --------------------------------------------------------------------------------------------------
# The hook as a content repository uses it: `repo:` pointing at this checkout, installed by pre-commit.
#
# Offline strategy. pre-commit installs a `language: python` hook by creating a virtualenv and running
# `pip install .` in a clone of the hook repository. Tests have no network, so the test gives pip
# everything it needs locally and forbids the index:
#   - PIP_NO_INDEX=1 and PIP_FIND_LINKS=<wheelhouse>;
#   - the wheelhouse holds the project's runtime dependencies, repacked as wheels from the
#     distributions installed in the interpreter running the tests (same Python, same platform; their
#     installed files and WHEEL tags are what pip unpacked from the original wheels), and the
#     build backend, setuptools, taken from the wheels virtualenv bundles (virtualenv comes with
#     pre-commit). pyproject.toml asks for setuptools>=70.1 only, so nothing else is fetched;
#   - the hook repository is a git snapshot of this checkout's working tree (package, rulesets,
#     pyproject, README, .pre-commit-hooks.yaml), so uncommitted changes are what gets tested.
# Nothing in the hook's environment comes from this test's environment: no PYTHONPATH, no
# system site-packages; pre-commit's own cache lives in the temporary directory.
# --------------------------------------------------------------------------------------------------

SNAPSHOT = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "wellnesslint", "rulesets")


def _git(*args, cwd, env):
    return subprocess.run(["git", *args], cwd=cwd, check=True, env=env, capture_output=True, text=True).stdout.strip()


def _snapshot_repo(dest, env):
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info")
    dest.mkdir()
    for name in SNAPSHOT:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=ignore)
        elif src.exists():
            shutil.copy(src, dest / name)
    _git("init", "-q", cwd=dest, env=env)
    _git("add", ".", cwd=dest, env=env)
    _git("-c", "user.name=t", "-c", "user.email=t@example.invalid", "commit", "-q", "-m", "snapshot", cwd=dest, env=env)
    return _git("rev-parse", "HEAD", cwd=dest, env=env)


def _runtime_requirements():
    """Names of the project's runtime dependencies, with theirs (markers evaluated, no extras)."""
    import importlib.metadata as md
    import tomllib

    from packaging.requirements import Requirement

    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    todo = [Requirement(r) for r in project.get("dependencies", [])]
    seen = {}
    while todo:
        req = todo.pop()
        if req.marker is not None and not req.marker.evaluate({"extra": ""}):
            continue
        key = req.name.lower().replace("_", "-")
        if key in seen:
            continue
        dist = md.distribution(req.name)
        seen[key] = dist
        todo.extend(Requirement(r) for r in (dist.requires or []))
    return list(seen.values())


def _repack(dist, wheelhouse):
    """Write an installed distribution back into a wheel (its files, WHEEL tags, a fresh RECORD)."""
    import base64
    import hashlib
    import re
    import zipfile

    name = re.sub(r"[-_.]+", "_", dist.metadata["Name"])
    version = dist.version
    wheel_meta = dist.read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel_meta.splitlines() if line.startswith("Tag:")]
    tag = tags[0] if tags else "py3-none-any"
    dist_info = f"{name}-{version}.dist-info"
    path = wheelhouse / f"{name}-{version}-{tag}.whl"
    root = pathlib.Path(dist.locate_file(""))
    record = []
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for rel in dist.files or []:
            rel_s = str(rel).replace(os.sep, "/")
            if rel_s.startswith("..") or "__pycache__" in rel_s or rel_s.endswith(".pyc"):
                continue  # scripts outside site-packages are made again from entry_points.txt
            if rel_s.endswith(".dist-info/RECORD") or rel_s.split("/")[-1] in ("INSTALLER", "REQUESTED", "direct_url.json"):
                continue
            file = root / rel
            if not file.is_file():
                continue
            data = file.read_bytes()
            arc = rel_s
            if ".dist-info/" in arc:
                arc = dist_info + "/" + arc.split(".dist-info/", 1)[1]
            zf.writestr(arc, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
            record.append(f"{arc},sha256={digest},{len(data)}")
        record.append(f"{dist_info}/RECORD,,")
        zf.writestr(f"{dist_info}/RECORD", "\n".join(record) + "\n")


def _wheelhouse(dest):
    import virtualenv.seed.wheels.embed as embed

    dest.mkdir()
    for dist in _runtime_requirements():
        _repack(dist, dest)
    bundled = sorted(pathlib.Path(embed.__file__).parent.glob("setuptools-*.whl"))
    assert bundled, "virtualenv bundles no setuptools wheel"
    shutil.copy(bundled[-1], dest / bundled[-1].name)
    return dest


CLEAN_PAGE = "# Kamillethee\n\nEen rustige kop thee voor het slapengaan.\n"
OVERCLAIMING_PAGE = "# Thee\n\nOnze kruidenthee is heerlijk.\nDeze thee geneest hoofdpijn.\n"


@needs_git
@pytest.mark.skipif(importlib.util.find_spec("virtualenv") is None, reason="pre-commit's virtualenv is not installed")
def test_pre_commit_installs_this_checkout_as_hook_repo(tmp_path):
    """A content repository with `repo: <this checkout>`: the real hook, installed by pre-commit, offline."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PIP_", "VIRTUALENV_", "PYTHON", "PRE_COMMIT")) and k != "VIRTUAL_ENV"
    }
    env.update(
        PRE_COMMIT_HOME=str(tmp_path / "pre-commit-cache"),
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        PIP_NO_INDEX="1",
        PIP_FIND_LINKS=str(_wheelhouse(tmp_path / "wheelhouse")),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_CACHE_DIR="1",
    )
    rev = _snapshot_repo(tmp_path / "hook-repo", env)

    content = tmp_path / "content"
    content.mkdir()
    config = {"repos": [{"repo": str(tmp_path / "hook-repo"), "rev": rev, "hooks": [{"id": "wellnesslint"}]}]}
    (content / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    (content / "thee.md").write_text(CLEAN_PAGE)
    # the repository's configuration applies to the files pre-commit names (--force-exclude)
    (content / ".wellnesslint.yaml").write_text('lang: nl\nexclude: ["drafts/"]\n')
    (content / "drafts").mkdir()
    (content / "drafts" / "idea.md").write_text(OVERCLAIMING_PAGE)
    _git("init", "-q", cwd=content, env=env)
    _git("add", ".", cwd=content, env=env)

    proc = pre_commit_cmd("run", "--all-files", cwd=content, env=env)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert re.search(r"^wellnesslint\.+Passed$", proc.stdout, re.M), proc.stdout

    (content / "shop.md").write_text(OVERCLAIMING_PAGE)
    _git("add", "shop.md", cwd=content, env=env)
    proc = pre_commit_cmd("run", "--all-files", cwd=content, env=env)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert re.search(r"^wellnesslint\.+Failed$", proc.stdout, re.M), proc.stdout
    assert "- hook id: wellnesslint" in proc.stdout and "- exit code: 1" in proc.stdout
    assert "shop.md:4:11: WL101 [error]" in proc.stdout  # the file, line and column of the claim
    report = proc.stdout.split("- exit code: 1", 1)[1]
    assert "thee.md" not in report and "drafts/" not in report
    # the hook ran from pre-commit's own environment, not from this checkout
    envs = list((tmp_path / "pre-commit-cache").glob("repo*/py_env-*"))
    assert envs and list(envs[0].glob("lib/python*/site-packages/wellnesslint/cli.py"))
