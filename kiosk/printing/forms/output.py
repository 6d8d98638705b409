"""Where a finished PDF goes: a folder here; the OS print dialog lives in the UI layer.

The UI prints through QtPdf + QPrinter (the same code path on Windows and Linux) by providing
another `PdfPrinter`; without a chosen printer, forms are saved with `FolderPrinter`.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final, Protocol

from kiosk.domain.text import strip_diacritics
from kiosk.printing.forms.errors import FormError

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
# Names Windows refuses whatever the extension.
_RESERVED: Final = frozenset(
    {
        "CON",
        "PRN",
        "AUX",
        "NUL",
        *(f"COM{i}" for i in range(1, 10)),
        *(f"LPT{i}" for i in range(1, 10)),
    }
)
MAX_STEM: Final = 120
_BINARY: Final = getattr(os, "O_BINARY", 0)  # Windows would translate newlines otherwise


class PdfPrinter(Protocol):
    """Something that takes a finished PDF: a folder, or a real printer through the OS."""

    def print_pdf(self, pdf: bytes, *, name: str) -> str:
        """Hand the PDF over; return where it went, in words staff can read."""
        ...


def clean_file_name(name: str, *, suffix: str = ".pdf") -> str:
    """A file name safe on every OS: 'Mẫu 01 000.00.21.H12-260315-0001' →
    'Mau-01-000.00.21.H12-260315-0001.pdf'."""
    stem = _UNSAFE.sub("-", strip_diacritics(name)).strip(".-_")[:MAX_STEM].strip(".-_")
    if not stem:
        stem = "bieu-mau"
    if stem.split(".")[0].upper() in _RESERVED:
        stem = f"_{stem}"
    return stem + suffix


class FolderPrinter:
    """Saves each PDF into a folder under a clean name, never overwriting an earlier one."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)

    def save(self, pdf: bytes, *, name: str) -> Path:
        """Write the PDF under a free name and return its path."""
        file_name = clean_file_name(name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            while True:
                target = self._free_path(file_name)
                try:
                    # O_EXCL claims the name: two counters saving the same form at once get
                    # two files, never one overwritten.
                    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _BINARY, 0o644)
                except FileExistsError:
                    continue
                break
            try:
                with os.fdopen(fd, "wb") as handle:
                    handle.write(pdf)
            except OSError:
                target.unlink(missing_ok=True)  # no half-written form left behind
                raise
        except OSError as exc:
            raise FormError(
                f"Không lưu được biểu mẫu vào thư mục {self.folder}: {exc.strerror or exc}. "
                "Kiểm tra thư mục có tồn tại, còn chỗ trống và được phép ghi.",
                folder=str(self.folder),
            ) from exc
        return target

    def print_pdf(self, pdf: bytes, *, name: str) -> str:
        return f"Đã lưu vào {self.save(pdf, name=name)}"

    def _free_path(self, file_name: str) -> Path:
        path = self.folder / file_name
        stem, suffix = path.stem, path.suffix
        n = 2
        while path.exists():
            path = self.folder / f"{stem}-{n}{suffix}"
            n += 1
        return path
