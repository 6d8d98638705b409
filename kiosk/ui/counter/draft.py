"""The reception form's draft on disk: what the clerk typed survives a crash or a closed window.

Saved on every change (the form is small, a write is well under a millisecond) by writing a
temporary file and renaming it over the old one, so a crash mid-write leaves the previous draft,
never half a file. Cleared only once the hub has stored what the form described.
"""

from __future__ import annotations

import json
import logging
import os
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

VERSION = 1


class DraftFile:
    def __init__(self, path: Path) -> None:
        self.path = path

    def save(self, data: dict[str, Any]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(".tmp")
        body = json.dumps({"version": VERSION, "form": data}, ensure_ascii=False, indent=1)
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(body)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, self.path)

    def load(self) -> dict[str, Any] | None:
        try:
            document = json.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            # Never crash the console over a damaged draft; keep it aside for a person to read.
            log.warning("reception draft unreadable (%s): kept as %s.bad", exc, self.path)
            self.path.replace(self.path.with_suffix(".bad"))
            return None
        form = document.get("form") if isinstance(document, dict) else None
        return form if isinstance(form, dict) else None

    def clear(self) -> None:
        self.path.unlink(missing_ok=True)
