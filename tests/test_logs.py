from __future__ import annotations

import json
import logging
from pathlib import Path

from kiosk.logs import setup_logging


def test_log_lines_are_json_with_extra_fields_and_rotate(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    log = logging.getLogger("kiosk.test")
    log.warning("máy in hết giấy", extra={"printer": "tcp://10.0.0.5:9100"})
    logging.getLogger("uvicorn.error").error("port busy")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines[0]["message"] == "máy in hết giấy"
    assert lines[0]["printer"] == "tcp://10.0.0.5:9100"
    assert lines[0]["level"] == "WARNING"
    assert lines[1]["logger"] == "uvicorn.error"
    handler = next(h for h in logging.getLogger("kiosk").handlers if hasattr(h, "maxBytes"))
    assert handler.maxBytes > 0 and handler.backupCount >= 1


def test_setting_up_twice_does_not_double_lines(tmp_path: Path) -> None:
    setup_logging(tmp_path / "a")
    path = setup_logging(tmp_path / "b")
    logging.getLogger("kiosk.test").warning("một lần")
    assert path.read_text(encoding="utf-8").count("một lần") == 1
    assert not (tmp_path / "a" / "kiosk.log").read_text(encoding="utf-8")


def test_device_tokens_in_logged_urls_are_hidden(tmp_path: Path) -> None:
    path = setup_logging(tmp_path / "logs")
    token = "PmxbFlWZGEwdL-FD6bnjZvhA-0uRacNyX13H_Y6uhuY"
    # What uvicorn logs for every screen that opens the event stream.
    logging.getLogger("uvicorn.error").info(
        '%s - "WebSocket %s" [accepted]', "127.0.0.1:34456", f"/api/events?token={token}&after=7"
    )
    logging.getLogger("kiosk.test").info("board", extra={"url": f"/display?token={token}"})
    text = path.read_text(encoding="utf-8")
    assert token not in text
    lines = [json.loads(line) for line in text.splitlines()]
    assert lines[0]["message"].endswith('"WebSocket /api/events?token=***&after=7" [accepted]')
    assert lines[1]["url"] == "/display?token=***"
