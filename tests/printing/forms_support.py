"""Poppler and zxing helpers shared by the form tests: real PDFs, read back by real tools."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} (poppler-utils) must be installed: .ci/run installs it")
    return found


def pdf_text(pdf: Path, *, page: int | None = None) -> str:
    args = [_tool("pdftotext")]
    if page is not None:
        args += ["-f", str(page), "-l", str(page)]
    return subprocess.run([*args, str(pdf), "-"], check=True, capture_output=True, text=True).stdout


def pdf_fonts(pdf: Path) -> list[tuple[str, str]]:
    """(font name, emb) for every font of the PDF."""
    out = subprocess.run(
        [_tool("pdffonts"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    rows = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type... encoding emb sub uni object ID: emb is the 5th field from the end
        rows.append((parts[0], parts[-5]))
    return rows


def pdf_info(pdf: Path) -> dict[str, str]:
    out = subprocess.run(
        [_tool("pdfinfo"), str(pdf)], check=True, capture_output=True, text=True
    ).stdout
    return {k.strip(): v.strip() for k, v in (line.split(":", 1) for line in out.splitlines())}


def page_size_pt(pdf: Path) -> tuple[float, float]:
    match = re.match(r"([\d.]+) x ([\d.]+) pts", pdf_info(pdf)["Page size"])
    assert match is not None
    return float(match.group(1)), float(match.group(2))


def render_page(pdf: Path, page: int, out_dir: Path, dpi: int = 150) -> Path:
    prefix = out_dir / f"{pdf.stem}-p{page}"
    subprocess.run(
        [
            _tool("pdftoppm"),
            "-r",
            str(dpi),
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(pdf),
            str(prefix),
        ],
        check=True,
    )
    return prefix.with_suffix(".png")


def decode_qr(png: Path) -> list[str]:
    with Image.open(png) as image:
        return [r.text for r in zxingcpp.read_barcodes(image)]
