"""The pre-commit hook: manifest and config are valid, and a real (offline) pre-commit run works."""

import os
import pathlib
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
    assert hook["entry"] == "wellnesslint check"
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
