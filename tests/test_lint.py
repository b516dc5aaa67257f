"""Static checks, run as part of the suite: ruff (lint and format) and pylint-odoo."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.name for p in ROOT.glob("*") if (p / "__manifest__.py").is_file())
BIN = Path(sys.executable).parent


def _run(*cmd):
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def test_addons_are_found():
    assert {"complaint_handling", "complaint_handling_reports"} <= set(ADDONS)


def test_ruff_lint_is_clean():
    code, output = _run(BIN / "ruff", "check", ".")
    assert code == 0, output


def test_ruff_format_is_clean():
    code, output = _run(BIN / "ruff", "format", "--check", ".")
    assert code == 0, output


def test_pylint_odoo_is_clean():
    code, output = _run(sys.executable, "-m", "pylint", "--rcfile=.pylintrc", *ADDONS)
    assert code == 0, output
