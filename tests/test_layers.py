"""The import layers in pyproject.toml hold: a renderer never reaches up into the pipeline or the
CLI, and verification reads with libraries other than the ones that wrote (`lint-imports`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path, pythonpath: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run import-linter with the pyproject.toml in `cwd` (no cache written anywhere)."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_import_contracts_are_kept() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_import_from_a_lower_layer_up_into_the_cli_breaks_the_contracts(tmp_path: Path) -> None:
    """The check has teeth: the model importing the CLI is reported (it would be a cycle through
    every layer)."""
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "clearfacts", src / "clearfacts",
                    ignore=shutil.ignore_patterns("__pycache__", "*.ttf"))
    with open(src / "clearfacts" / "model.py", "a", encoding="utf-8") as model:
        model.write("\nimport clearfacts.cli  # noqa\n")
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    result = lint_imports(project, pythonpath=src)
    assert result.returncode != 0, result.stdout
    assert "pipeline layers BROKEN" in result.stdout
    assert "clearfacts.model -> clearfacts.cli" in result.stdout
