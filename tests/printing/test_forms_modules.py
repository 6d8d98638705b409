"""The forms package stays split by job, and money and dates are written in one place."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "kiosk"

#: Names that once wrapped `kiosk.domain.formats` (forms, screens); the callers use it directly.
OLD_WRAPPERS = {"format_vnd", "long_date", "vn_date", "money_text", "day_and_date", "vnd", "fee"}


def _functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]


def test_money_and_dates_are_formatted_only_by_domain_formats() -> None:
    formats = PACKAGE / "domain" / "formats.py"
    offences = [
        f"{path.relative_to(ROOT)}: {node.name}"
        for path in sorted(PACKAGE.rglob("*.py"))
        if path != formats
        for node in _functions(path)
        if node.name in OLD_WRAPPERS and node.col_offset == 0
    ]
    assert not offences, offences


def test_the_form_modules_and_the_thermal_decoder_stay_small() -> None:
    paths = [*sorted((PACKAGE / "printing" / "forms").glob("*.py"))]
    paths.append(PACKAGE / "printing" / "thermal" / "decode.py")
    offences = []
    for path in paths:
        lines = len(path.read_text(encoding="utf-8").splitlines())
        if lines > 600:
            offences.append(f"{path.name}: {lines} lines")
        for node in _functions(path):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > 80:
                offences.append(f"{path.name}: {node.name} is {length} lines")
    assert not offences, offences
