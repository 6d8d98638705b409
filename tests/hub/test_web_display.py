"""The web display board in a real headless Chromium against the real hub."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from cdp import CHROMIUM_FLAGS, Page, chromium_path, open_page, wait_for
from hubproc import Office

#: Where the board after the admin's change is saved, for a person to look at.
SCREENSHOT = Path("/tmp/board-after-change.png")


def render_dom(url: str, profile: Path) -> str:
    result = subprocess.run(
        [
            chromium_path(),
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=90,
    )
    return result.stdout


def render_until(url: str, profile: Path, marker: str, attempts: int = 3) -> str:
    """Chromium's virtual time does not wait for a WebSocket: on a loaded machine the first
    render can come before the snapshot. Render again (a new page load) a few times."""
    dom = ""
    for attempt in range(attempts):
        dom = render_dom(url, profile.with_name(f"{profile.name}-{attempt}"))
        if marker in dom:
            break
    return dom


def test_the_board_shows_each_counter_and_the_latest_call(office: Office, tmp_path: Path) -> None:
    office.kiosk.issue("A")
    office.kiosk.issue("B")
    office.counters[1].call_next(1)
    office.counters[2].call_next(2)
    dom = render_until(
        f"{office.hub.url}/display?token={office.display_token}", tmp_path / "p", "B001"
    )
    assert 'id="latest-number">A001<' in dom or 'id="latest-number">B001<' in dom
    assert "Quầy 1" in dom and "A001" in dom and "B001" in dom
    assert "UBND xã Thử Nghiệm" in dom
    assert '<div class="offline" id="offline" hidden="">' in dom


def test_a_board_with_a_wrong_token_says_so(office: Office, tmp_path: Path) -> None:
    dom = render_until(f"{office.hub.url}/display?token=wrong", tmp_path / "p", "cấp quyền")
    assert "chưa được cấp quyền" in dom
    assert '<div class="offline" id="offline">' in dom


# --- a board kept open while the office changes (Chromium over the DevTools protocol) ------------

#: Each counter row as the board shows it: its label, its own name, the number it serves.
ROWS = """Array.from(document.querySelectorAll('#counters li')).map(function (li) {
  var small = li.querySelector('.name small');
  return [li.querySelector('.name').firstChild.textContent, small ? small.textContent : '',
          li.querySelector('.num').textContent];
})"""


def rows(page: Page) -> dict[str, tuple[str, str]]:
    """Each counter row by its label ("Quầy 2"): (the counter's own name, the number it
    serves or "—")."""
    shown: list[list[str]] = page.evaluate(ROWS) or []
    return {label: (name, serving) for label, name, serving in shown}


def wait_first_snapshot(page: Page, number: str) -> None:
    """Wait for the board's first snapshot, then mark the page: a reload (which would hide a
    board that cannot follow by itself) drops the mark."""
    page.wait_text("latest-number", number)
    page.evaluate("window.sameLoad = true")


def same_load(page: Page) -> bool:
    return page.evaluate("window.sameLoad === true") is True


def test_an_open_board_follows_the_admins_changes_without_a_reload(
    office: Office, tmp_path: Path
) -> None:
    office.kiosk.issue("A")
    office.counters[1].call_next(1)
    url = f"{office.hub.url}/display?token={office.display_token}"
    with open_page(url, tmp_path / "browser") as page:
        wait_first_snapshot(page, "A001")
        assert "UBND xã Thử Nghiệm" in page.text("office")
        assert "Quầy 11" not in rows(page)

        counters: list[dict[str, Any]] = [
            {"number": n, "name": f"Quầy {n}", "groups": ["A", "B"]} for n in range(1, 11)
        ]
        counters[1]["name"] = "Quầy Tư pháp"
        counters.append({"number": 11, "name": "Quầy Đất đai", "groups": ["B"]})
        office.admin.update_office(
            {
                "office_name": "UBND phường Bến Thành",
                "notice": "Chiều thứ Sáu tạm nghỉ để họp giao ban.",
                "counters": counters,
            }
        )

        page.wait_text("office", "UBND phường Bến Thành")
        page.wait_text("notice", "Chiều thứ Sáu tạm nghỉ để họp giao ban.")
        wait_for("the new counter on the board", lambda: "Quầy 11" in rows(page))
        shown = rows(page)
        assert shown["Quầy 2"][0] == "Quầy Tư pháp"
        assert shown["Quầy 11"][0] == "Quầy Đất đai"
        assert shown["Quầy 1"][1] == "A001"  # the counter's call survives the change
        assert len(shown) == 11

        # Calls still reach the board after the change, at the renamed counter too.
        office.kiosk.issue("B")
        office.counters[2].call_next(2)
        page.wait_text("latest-number", "B001")
        assert page.text("latest-where") == "mời đến quầy số 2"
        wait_for("counter 2 serves B001", lambda: rows(page)["Quầy 2"][1] == "B001")
        assert page.evaluate("document.getElementById('offline').hidden") is True
        assert same_load(page)
        page.screenshot(SCREENSHOT)


def test_an_open_board_starts_over_from_the_restored_state(office: Office, tmp_path: Path) -> None:
    office.kiosk.issue("A")  # the backup: A001 waiting, nobody called yet
    name = office.admin.backup()["name"]
    office.counters[1].call_next(1)  # after the backup: what the restore takes away
    url = f"{office.hub.url}/display?token={office.display_token}"
    with open_page(url, tmp_path / "browser") as page:
        wait_first_snapshot(page, "A001")
        assert rows(page)["Quầy 1"][1] == "A001"

        office.admin.restore(name, confirm=name)  # closes the board's stream with 4002

        body = ""

        def the_call_is_gone() -> bool:
            nonlocal body
            body = str(page.evaluate("document.body.innerText"))
            return "A001" not in body and page.text("latest-number") == "—"

        try:
            wait_for("the board drops the call the restore took away", the_call_is_gone)
        except AssertionError as error:
            raise AssertionError(f"{error}; the board shows:\n{body}") from None
        assert all(serving == "—" for _, serving in rows(page).values())
        assert page.text("recent") == ""
        # The board's stream is live again: the restored A001 called at counter 2 shows there.
        office.counters[2].call_next(2)
        page.wait_text("latest-number", "A001")
        assert page.text("latest-where") == "mời đến quầy số 2"
        wait_for("counter 2 serves A001", lambda: rows(page)["Quầy 2"][1] == "A001")
        assert rows(page)["Quầy 1"][1] == "—"
        assert page.evaluate("document.getElementById('offline').hidden") is True
        assert same_load(page)
