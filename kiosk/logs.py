"""Structured logs to a rotating file, so an IT officer can send one file when something breaks."""

from __future__ import annotations

import json
import logging
import logging.handlers
import re
from pathlib import Path

LOGGERS = ("kiosk", "uvicorn")

# Device tokens travel in the event stream's and the web board's query string
# (/api/events?token=…), and uvicorn logs every accepted WebSocket with its path: a log file
# sent to a helpdesk must not hand over a device's credentials.
_SECRET_IN_URL = re.compile(r"(?i)\b(token|secret|session)=[^&\s\"']+")


def redact(text: str) -> str:
    """`text` with the value of every token=/secret=/session= query parameter hidden."""
    return _SECRET_IN_URL.sub(lambda m: f"{m.group(1)}=***", text)


class JsonLineFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, and any `extra` fields."""

    _standard = frozenset(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}

    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "at": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
        }
        for key, value in record.__dict__.items():
            if key not in self._standard:
                entry[key] = redact(value) if isinstance(value, str) else value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


def setup_logging(logs_dir: Path, *, level: int = logging.INFO) -> Path:
    """Log to `logs_dir/kiosk.log` (5 × 2 MB, rotated); returns the file's path."""
    logs_dir.mkdir(parents=True, exist_ok=True)
    path = logs_dir / "kiosk.log"
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(JsonLineFormatter())
    handler._kiosk_file = True  # type: ignore[attr-defined]
    # The hub's web server logs its own errors under "uvicorn": same file.
    for name in LOGGERS:
        logger = logging.getLogger(name)
        for old in list(logger.handlers):
            if getattr(old, "_kiosk_file", False):
                logger.removeHandler(old)
                old.close()
        logger.addHandler(handler)
        logger.setLevel(level)
        # python-escpos calls logging.basicConfig() on import; our lines belong in our file
        # only, the user already saw the Vietnamese message on screen.
        logger.propagate = False
    return path
