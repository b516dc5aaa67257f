"""Static checks, run as part of the suite: OCA's checks for Odoo 18.0, as OCA's repository template
(oca-addons-repo-template) configures them in .pre-commit-config.yaml, without pre-commit:

- oca-checks-odoo-module and oca-checks-po (OCA/odoo-pre-commit-hooks);
- pylint-odoo with OCA's .pylintrc (optional checks) and .pylintrc-mandatory: both must pass;
- ruff check and ruff format --check (.ruff.toml);
- prettier with @prettier/plugin-xml (prettier.config.cjs) and eslint (eslint.config.cjs), from
  node_modules (package-lock.json, installed by setup/install.sh);
- the template's local hooks and the pre-commit-hooks it runs (whitespace, end of files, ...).

Any message fails its test with the tool's output. The files are those pre-commit would give the hooks:
the repository's files (git ls-files) minus the template's exclude pattern (.pre-commit-config.yaml).
"""

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
ADDONS = sorted(p.name for p in ROOT.glob("*") if (p / "__manifest__.py").is_file())
BIN = Path(sys.executable).parent
NODE_BIN = ROOT / "node_modules" / ".bin"
PRE_COMMIT_CONFIG = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text())
# Files of these directories are never the repository's own (pre-commit only sees git's files).
NOT_OURS = {".git", ".venv", ".run", "node_modules", "__pycache__"}


def _run(*cmd):
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.returncode, result.stdout + result.stderr


def _repository_files():
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split("\0")
    except (OSError, subprocess.CalledProcessError):  # not a git checkout (an archive): walk the tree
        listed = []
        for dirpath, dirnames, filenames in os.walk(ROOT):
            dirnames[:] = [d for d in dirnames if d not in NOT_OURS]
            listed += [os.path.relpath(os.path.join(dirpath, f), ROOT) for f in filenames]
    return sorted(f for f in listed if f and (ROOT / f).is_file() and not (ROOT / f).is_symlink())


FILES = [f for f in _repository_files() if not re.search(PRE_COMMIT_CONFIG["exclude"], f, re.VERBOSE)]


def _files(pattern, exclude=None):
    return [f for f in FILES if re.search(pattern, f) and not (exclude and re.search(exclude, f))]


def _hook(hook_id):
    """The hook ``hook_id`` of .pre-commit-config.yaml (the first one)."""
    hooks = [hook for repo in PRE_COMMIT_CONFIG["repos"] for hook in repo["hooks"] if hook["id"] == hook_id]
    assert hooks, f"{hook_id} is not in .pre-commit-config.yaml"
    return hooks[0]


def _node_tool(name):
    tool = NODE_BIN / name
    assert tool.exists(), f"{tool} is missing: run setup/install.sh (npm ci)"
    return tool


def test_addons_are_found():
    assert {"complaint_handling", "complaint_handling_reports"} <= set(ADDONS)
    assert "complaint_handling/__manifest__.py" in FILES


def test_oca_checks_odoo_module():
    code, output = _run(BIN / "oca-checks-odoo-module", *ADDONS)
    assert code == 0 and not output.strip(), output


def test_oca_checks_po():
    po_files = _files(r"\.pot?$")
    assert po_files
    code, output = _run(BIN / "oca-checks-po", *_hook("oca-checks-po").get("args", []), *po_files)
    assert code == 0 and not output.strip(), output


@pytest.mark.parametrize("rcfile", [".pylintrc-mandatory", ".pylintrc"])
def test_pylint_odoo(rcfile):
    code, output = _run(sys.executable, "-m", "pylint", f"--rcfile={rcfile}", "--output-format=text", *ADDONS)
    assert code == 0 and not output.strip(), output


def test_ruff_check():
    code, output = _run(BIN / "ruff", "check", "--no-fix", ".")
    assert code == 0, output


def test_ruff_format():
    code, output = _run(BIN / "ruff", "format", "--check", ".")
    assert code == 0, output


def test_prettier():
    files = _files(_hook("prettier")["files"])
    assert any(f.endswith(".xml") for f in files)
    code, output = _run(_node_tool("prettier"), "--check", "--ignore-unknown", *files)
    assert code == 0, output


def test_eslint():
    files = _files(r"\.(js|cjs|mjs)$")
    assert files
    code, output = _run(_node_tool("eslint"), "--max-warnings=0", *files)
    assert code == 0, output


def test_no_forbidden_files():
    """The template's local hooks: copier's rejected diffs, en.po files, obsolete dotfiles."""
    for hook_id in ("forbidden-files", "en-po-files", "obsolete dotfiles"):
        found = _files(_hook(hook_id)["files"])
        assert not found, f"{_hook(hook_id)['name']}: {found}"


def _text(path):
    data = (ROOT / path).read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode()
    except UnicodeDecodeError:
        return None


def _whitespace_problems(path, text):
    """trailing-whitespace, end-of-file-fixer (not on generated files), mixed-line-ending --fix=lf"""
    problems = [f"{path}: line endings other than LF"] if "\r" in text else []
    if re.search(r"/README\.rst$|\.pot?$", path):
        return problems
    lines = enumerate(text.split("\n"), 1)
    problems += [f"{path}:{n}: trailing whitespace" for n, line in lines if line != line.rstrip()]
    if text and (not text.endswith("\n") or text.endswith("\n\n")):
        problems.append(f"{path}: the file must end with exactly one newline")
    return problems


def _merge_conflict_problems(path, text):
    """check-merge-conflict"""
    if re.search(r"/README\.rst$|^docs/.*\.rst$", path):
        return []
    markers = re.compile(r"(<<<<<<< |=======$|>>>>>>> )")
    return [f"{path}:{n}: merge conflict marker" for n, line in enumerate(text.split("\n"), 1) if markers.match(line)]


def _shebang_problems(path, text):
    """check-executables-have-shebangs"""
    if os.access(ROOT / path, os.X_OK) and not text.startswith("#!"):
        return [f"{path}: executable without a shebang"]
    return []


def _xml_problems(path, text):
    """check-xml"""
    if not path.endswith(".xml"):
        return []
    try:
        etree.fromstring(text.encode())
    except etree.XMLSyntaxError as e:
        return [f"{path}: {e}"]
    return []


DEBUGGERS = {"pdb", "ipdb", "pudb", "wdb", "rpdb", "pydevd", "bpdb"}


def _python_problems(path, text):
    """debug-statements, fix-encoding-pragma --remove"""
    if not path.endswith(".py"):
        return []
    problems = [f"{path}: encoding pragma"] if re.match(r"(#!.*\n)?#.*coding[:=]", text) else []
    for node in ast.walk(ast.parse(text, path)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            names = [node.module or ""]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            names = [node.func.id + "()"]
        else:
            continue
        if any(name.split(".")[0] in DEBUGGERS or name == "breakpoint()" for name in names):
            problems.append(f"{path}:{node.lineno}: debugger: {names}")
    return problems


FILE_CHECKS = (_whitespace_problems, _merge_conflict_problems, _shebang_problems, _xml_problems, _python_problems)


def test_pre_commit_hooks():
    """The template's pre-commit-hooks (trailing-whitespace, end-of-file-fixer, mixed-line-ending,
    check-merge-conflict, check-executables-have-shebangs, check-xml, debug-statements,
    fix-encoding-pragma, check-case-conflict), as checks: they fix files in place in pre-commit."""
    problems = []
    for path in FILES:
        text = _text(path)
        if text is None:
            continue
        for check in FILE_CHECKS:
            problems += check(path, text)
    lowered = {}
    for path in FILES:
        lowered.setdefault(path.lower(), []).append(path)
    problems += [f"case conflict: {paths}" for paths in lowered.values() if len(paths) > 1]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("addon", ADDONS)
def test_every_test_module_is_imported(addon):
    """``odoo --test-enable`` runs the test modules that <addon>/tests/__init__.py imports; pytest-odoo
    runs every tests/test_*.py. Both must run the same tests."""
    tests = ROOT / addon / "tests"
    modules = {p.stem for p in tests.glob("test_*.py")}
    if not modules:
        return
    init = tests / "__init__.py"
    imported = set()
    for node in ast.parse(init.read_text(), str(init)).body:
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                imported.add(node.module.split(".")[0])
            else:
                imported |= {alias.name for alias in node.names}
    assert modules <= imported, f"{init.relative_to(ROOT)} does not import {sorted(modules - imported)}"
