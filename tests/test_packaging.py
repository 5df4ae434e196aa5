"""The built-in rulesets must ship inside the package: checked on an installed copy and a built wheel."""

import importlib.util
import json
import os
import pathlib
import shutil
import subprocess
import sys
import zipfile

import pytest

import wellnesslint
from wellnesslint.resources import rulesets_dir

REPO = pathlib.Path(__file__).resolve().parent.parent
RULESETS = REPO / "rulesets"


def ruleset_files():
    return sorted(p.relative_to(RULESETS).as_posix() for p in RULESETS.rglob("*.yaml"))


def test_rulesets_dir_in_checkout():
    path = rulesets_dir()
    assert path.is_dir()
    if any((RULESETS / lang).is_dir() for lang in ("nl", "en")):
        assert any((path / lang).is_dir() for lang in ("nl", "en"))


def test_installed_package_ships_rulesets(tmp_path):
    """Runs where the package is installed non-editable (as .ci/run does); skipped otherwise."""
    code = (
        "import json, wellnesslint, wellnesslint.resources as r;"
        "print(json.dumps([wellnesslint.__file__, str(r.rulesets_dir())]))"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    if proc.returncode != 0:
        pytest.skip("wellnesslint is not installed in this interpreter")
    init, data_dir = json.loads(proc.stdout)
    package = pathlib.Path(init).resolve().parent
    if package == REPO / "wellnesslint":
        pytest.skip("wellnesslint is installed in editable mode")
    data_dir = pathlib.Path(data_dir).resolve()
    assert data_dir == package / "rulesets"
    missing = [rel for rel in ruleset_files() if not (data_dir / rel).is_file()]
    assert not missing, f"rulesets missing from the installed package: {missing}"


def _can_build_wheel():
    try:
        import setuptools
    except ImportError:
        return False
    try:
        major, minor = (int(x) for x in setuptools.__version__.split(".")[:2])
    except ValueError:
        return False
    if (major, minor) < (61, 0):
        return False
    return (major, minor) >= (70, 1) or importlib.util.find_spec("wheel") is not None


@pytest.mark.skipif(not _can_build_wheel(), reason="needs setuptools>=70.1 (or setuptools with wheel) to build offline")
def test_wheel_contains_rulesets(tmp_path):
    src = tmp_path / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("wellnesslint", "rulesets"):
        shutil.copytree(REPO / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        if (REPO / name).exists():
            shutil.copy(REPO / name, src / name)
    proc = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", ".", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path / "dist")],
        cwd=src,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0, proc.stderr
    [wheel] = (tmp_path / "dist").glob("wellnesslint-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "wellnesslint/cli.py" in names
    assert "wellnesslint/rulesets/__init__.py" in names
    missing = [rel for rel in ruleset_files() if f"wellnesslint/rulesets/{rel}" not in names]
    assert not missing, f"rulesets missing from the wheel: {missing}"
    assert not any(n.startswith("rulesets/") for n in names)
