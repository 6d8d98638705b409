"""The house rules of ARCHITECTURE.md, checked on the source so they stay true."""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "kiosk"

# Standard-library modules that do I/O; the domain must stay pure.
IO_MODULES = {"os", "io", "pathlib", "socket", "sqlite3", "subprocess", "shutil", "urllib", "http"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def python_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_domain_imports_nothing_of_the_project_outside_domain_and_no_io() -> None:
    offences = []
    for path in python_files(PACKAGE / "domain"):
        for name in imported_modules(path):
            top = name.split(".")[0]
            outside = name.startswith("kiosk") and not name.startswith("kiosk.domain")
            if outside or top in IO_MODULES:
                offences.append(f"{path.relative_to(ROOT)} imports {name}")
    assert not offences, offences


def test_only_the_ui_layer_imports_pyside6() -> None:
    offences = [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(PACKAGE)
        if "ui" not in path.relative_to(PACKAGE).parts[:1]
        for name in imported_modules(path)
        if name.startswith("PySide6")
    ]
    assert not offences, offences


def test_the_domain_layer_is_not_empty() -> None:
    # Guards the two checks above against passing on an empty tree after a move.
    assert len(python_files(PACKAGE / "domain")) >= 5


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent))
    if found is None:
        pytest.fail(f"{name} is part of the dev group and must be installed (uv sync)")
    return found


def test_ruff_finds_nothing() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "kiosk", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_code_is_formatted() -> None:
    result = subprocess.run(
        [_tool("ruff"), "format", "--check", "kiosk", "tests", "bench"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_passes_outside_the_ui() -> None:
    result = subprocess.run([_tool("mypy")], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
