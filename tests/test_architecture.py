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


# --- layers and import circles ---------------------------------------------------------------

#: ARCHITECTURE.md's layers, bottom first: a part imports only parts of a lower rank (its own
#: folder aside). Peers on one rank (queue, dossiers, printing, sync) do not import each other.
RANKS: dict[str, int] = {
    "__init__": -1,  # kiosk/__init__.py: the version only
    "domain": 0,
    "clock": 1,
    "paths": 1,
    "config": 1,
    "logs": 1,
    "store": 2,
    "office": 3,
    "demo_data": 3,
    "queue": 4,
    "dossiers": 4,
    "printing": 4,
    "sync": 4,
    "voice": 4,
    "district": 5,
    "hub": 5,
    "setup": 6,
    "ui": 7,
    "selfcheck": 7,
    "cli": 8,
    "__main__": 9,
}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_imports(path: Path, modules: set[str]) -> set[str]:
    """Project modules `path` imports anywhere (lazy imports too), but under TYPE_CHECKING;
    `from package import submodule` counts as importing the submodule."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.update(a.name for a in child.names if a.name in modules)
            elif isinstance(child, ast.ImportFrom) and child.module and child.level == 0:
                for alias in child.names:
                    sub = f"{child.module}.{alias.name}"
                    found.add(sub if sub in modules else child.module)
            visit(child)

    visit(ast.parse(path.read_text(encoding="utf-8")))
    return found & modules


def part(module: str) -> str:
    """The layer a module belongs to: 'hub' for kiosk.hub.app, 'clock' for kiosk.clock."""
    return module.split(".")[1] if "." in module else "__init__"


def import_graph() -> dict[str, set[str]]:
    files = {module_name(p): p for p in python_files(PACKAGE)}
    modules = set(files)
    return {name: project_imports(path, modules) - {name} for name, path in files.items()}


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {part(name) for name in import_graph()}
    assert parts <= set(RANKS), sorted(parts - set(RANKS))


def test_no_layer_imports_a_higher_one() -> None:
    offences = []
    for importer, imported in import_graph().items():
        for target in imported:
            mine, theirs = part(importer), part(target)
            if mine != theirs and RANKS[mine] <= RANKS[theirs]:
                offences.append(f"{importer} imports {target}")
    assert not offences, offences


def test_no_import_circle() -> None:
    graph = import_graph()
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    circles: list[list[str]] = []

    def connect(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph[node]:
            if nxt not in index:
                connect(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = [stack.pop()]
            while component[-1] != node:
                component.append(stack.pop())
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            connect(node)
    assert circles == []


def test_errors_below_the_hub_carry_no_http_status() -> None:
    """The hub's one table (kiosk.hub.errors.STATUSES) says how each is answered."""
    offences = []
    for path in python_files(PACKAGE):
        if part(module_name(path)) in {"hub", "district", "ui", "cli"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    targets = statement.targets if isinstance(statement, ast.Assign) else []
                    if any(isinstance(t, ast.Name) and t.id == "status" for t in targets):
                        offences.append(f"{path.relative_to(ROOT)}: {node.name}.status")
    assert not offences, offences
