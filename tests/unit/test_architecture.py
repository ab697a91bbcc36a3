"""The house drawn in README.md, checked by machine (issue 17).

- ``lint-imports`` keeps the contracts of setup.cfg: the layers (doors above the core, the fax
  pipeline beneath it), the core without Flask, the fax library without database, web or switch,
  and no import cycle between the modules of any package.
- An import inside a function hides a dependency from the reader (and, when it closes a cycle,
  the cycle itself): every function-level import of our own modules says why on its line.
"""
from __future__ import annotations

import ast
import io
import subprocess
import sys
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OURS = ("pbx", "web", "xml_curl", "esl_handlers", "schema", "fs_service", "fax", "bench")


def test_import_contracts_are_kept():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    done = subprocess.run([str(lint_imports)], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"lint-imports failed (exit {done.returncode}):\n{done.stdout}\n{done.stderr}"


def _commented_lines(source: str) -> set[int]:
    """Line numbers holding a real comment (a ``#`` inside a string does not count)."""
    return {tok.start[0] for tok in tokenize.generate_tokens(io.StringIO(source).readline)
            if tok.type == tokenize.COMMENT}


def _is_ours(node: ast.Import | ast.ImportFrom) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level > 0 or (node.module or "").split(".")[0] in OURS
    return any(alias.name.split(".")[0] in OURS for alias in node.names)


def function_level_imports_without_reason(path: Path) -> list[str]:
    """``path:line: statement`` for each import of our modules inside a function with no comment
    on its first line. Imports under ``if TYPE_CHECKING:`` are module-level: not concerned."""
    source = path.read_text(encoding="utf-8")
    commented = _commented_lines(source)
    found = set()
    for function in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            if isinstance(node, (ast.Import, ast.ImportFrom)) and _is_ours(node) and node.lineno not in commented:
                found.add(f"{path.relative_to(ROOT)}:{node.lineno}: {ast.unparse(node)}")
    return sorted(found)


def test_function_level_imports_of_our_modules_say_why():
    files = [path for package in OURS for path in sorted((ROOT / package).rglob("*.py"))]
    assert len(files) > 100  # the scan really walks the tree
    unexplained = [line for path in files for line in function_level_imports_without_reason(path)]
    assert not unexplained, ("move these imports to the top of their module, or say on the line why one must "
                             "wait:\n" + "\n".join(unexplained))


def test_the_scan_sees_an_unexplained_import_and_accepts_a_reason(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    module = tmp_path / "example.py"
    module.write_text(
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from fs_service.models import Account\n"
        "def hidden():\n"
        "    from fs_service import numbers\n"
        "    text = '# not a comment'; from . import sibling\n"
        "def explained():\n"
        "    from pbx.app import create_app  # lazy: `pbx --help` stays fast\n"
        "    import json\n")
    assert function_level_imports_without_reason(module) == [
        "example.py:5: from fs_service import numbers", "example.py:6: from . import sibling"]
