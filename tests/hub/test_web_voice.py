"""The web board speaks after one click on "Bật âm thanh", calls in order, one at a time
(real headless Chromium with autoplay allowed, against the real hub)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import cdp
import pytest
from cdp import Page, open_page, wait_for
from hubproc import Office

from kiosk.voice.calls import CallVoice

VOICE_REQUESTS = """performance.getEntriesByType('resource')
  .filter(function (e) { return e.name.indexOf('/api/voice/call.wav') >= 0; })
  .map(function (e) { return [e.name.split('?')[1], e.startTime, e.responseEnd]; })"""


def voice_requests(page: Page) -> list[list[Any]]:
    found: list[list[Any]] = page.evaluate(VOICE_REQUESTS) or []
    return found


def click(page: Page, element_id: str) -> None:
    """A real, trusted mouse click at the element's centre (what a browser counts as a gesture)."""
    box = page.evaluate(
        f"(function () {{ var r = document.getElementById({json.dumps(element_id)})"
        ".getBoundingClientRect(); return [r.x + r.width / 2, r.y + r.height / 2]; })()"
    )
    x, y = box
    for kind in ("mousePressed", "mouseReleased"):
        page.command("Input.dispatchMouseEvent", type=kind, x=x, y=y, button="left", clickCount=1)


def test_the_board_speaks_only_after_the_click_and_waits_for_each_call(
    office: Office, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(
        cdp, "CHROMIUM_FLAGS", [*cdp.CHROMIUM_FLAGS, "--autoplay-policy=no-user-gesture-required"]
    )
    office.kiosk.issue("A")
    office.kiosk.issue("A")
    url = f"{office.hub.url}/display?token={office.display_token}"
    with open_page(url, tmp_path / "browser") as page:
        page.wait_text("sound", "Bật âm thanh")
        office.counters[1].call_next(1)
        page.wait_text("latest-number", "A001")
        assert voice_requests(page) == []  # silent until someone allows sound

        click(page, "sound")
        page.wait_text("sound", "Đang bật âm thanh")
        office.counters[2].call_next(2)
        office.counters[2].recall(2)
        page.wait_text("latest-number", "A002")
        wait_for("both calls requested", lambda: len(voice_requests(page)) >= 2, 60)
        heard = voice_requests(page)
        queries = [query for query, _, _ in heard]
        assert queries == [
            "number=A002&counter=2&recall=0",
            "number=A002&counter=2&recall=1",
        ]
        # The recall's audio is asked for only after the first call has been heard to its end.
        first_call = CallVoice().render("A002", 2).duration
        (_, _, first_end), (_, second_start, _) = heard[:2]
        assert (second_start - first_end) / 1000 >= first_call
