"""The command line, driven as a user would: real office folders, real database, real output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.domain.errors import KioskError

ROOT = Path(__file__).resolve().parent.parent


def run(office: Path, *args: str, ok: bool = True) -> click.testing.Result:
    result = CliRunner().invoke(cli, ["--data-dir", str(office), *args])
    if ok:
        assert result.exit_code == 0, result.output + repr(result.exception)
    return result


@pytest.fixture
def demo_office(tmp_path: Path) -> Path:
    office = tmp_path / "office"
    run(office, "init", "--demo", "--dossiers", "120")
    return office


def test_init_creates_settings_database_and_default_catalogue(tmp_path: Path) -> None:
    office = tmp_path / "new"
    report = json.loads(run(office, "init", "--json").output)
    assert report["settings_created"] and report["database_created"]
    assert report["procedures_loaded"] >= 40
    assert report["dossiers_total"] == 0
    assert (office / "settings.toml").is_file() and (office / "office.db").is_file()


def test_init_twice_duplicates_nothing(demo_office: Path) -> None:
    again = json.loads(run(demo_office, "init", "--demo", "--dossiers", "50", "--json").output)
    assert not again["settings_created"] and not again["database_created"]
    assert again["procedures_loaded"] == 0
    assert again["dossiers_added"] == 0
    assert again["dossiers_total"] == 120


def test_demo_sets_up_an_office_and_can_run_again(tmp_path: Path) -> None:
    office = tmp_path / "demo"
    first = run(office, "demo")
    assert "300" in first.output
    second = run(office, "demo")
    assert "vừa thêm" not in second.output
    listed = json.loads(run(office, "dossiers", "list", "--limit", "1000", "--json").output)
    assert len(listed) == 300


def test_demo_dossiers_have_unique_codes_and_due_dates_after_receipt(demo_office: Path) -> None:
    rows = json.loads(run(demo_office, "dossiers", "list", "--limit", "500", "--json").output)
    assert len(rows) == 120
    assert len({r["code"] for r in rows}) == 120
    for row in rows:
        assert row["code"].startswith("000.00.21.H99-")
        assert row["due_at"] >= row["received_at"]


def test_search_finds_accented_names_from_unaccented_typing(demo_office: Path) -> None:
    rows = json.loads(run(demo_office, "dossiers", "list", "--limit", "1", "--json").output)
    name = rows[0]["applicant_name"]
    from kiosk.domain.text import fold

    found = json.loads(run(demo_office, "dossiers", "search", fold(name), "--json").output)
    assert rows[0]["code"] in [r["code"] for r in found]


def test_calendar_due_prints_the_json_asked_for(tmp_path: Path) -> None:
    out = run(
        tmp_path / "fresh",
        "calendar",
        "due",
        "--received",
        "2026-02-13T10:00",
        "--working-days",
        "1",
        "--json",
        ok=False,
    )
    # The office folder is made on demand; Friday before Tết + 1 working day is Monday 23/2.
    assert out.exit_code == 0, out.output
    data = json.loads(out.output)
    assert data["due_date"] == "2026-02-23"
    assert data["due_at"].startswith("2026-02-23T") and data["due_at"].endswith("+07:00")


def test_calendar_due_for_a_same_day_procedure_uses_its_cut_off(demo_office: Path) -> None:
    before = json.loads(
        run(
            demo_office,
            "calendar",
            "due",
            "--received",
            "2026-03-03T14:59",
            "--procedure",
            "1.001193",
            "--json",
        ).output
    )
    after = json.loads(
        run(
            demo_office,
            "calendar",
            "due",
            "--received",
            "2026-03-03T15:01",
            "--procedure",
            "1.001193",
            "--json",
        ).output
    )
    assert before["due_date"] == "2026-03-03"
    assert after["due_date"] == "2026-03-04"


def test_calendar_due_refuses_an_unknown_procedure_in_vietnamese(demo_office: Path) -> None:
    result = run(
        demo_office,
        "calendar",
        "due",
        "--received",
        "2026-03-03T09:00",
        "--procedure",
        "9.999999",
        ok=False,
    )
    assert result.exit_code == 1
    assert "Không có thủ tục mã '9.999999'" in result.output
    assert "Traceback" not in result.output


def test_calendar_due_needs_exactly_one_limit(demo_office: Path) -> None:
    result = run(demo_office, "calendar", "due", "--received", "2026-03-03T09:00", ok=False)
    assert result.exit_code == 2
    assert "--working-days" in result.output


def test_calendar_due_rejects_a_malformed_time(demo_office: Path) -> None:
    result = run(
        demo_office,
        "calendar",
        "due",
        "--received",
        "13/02/2026",
        "--working-days",
        "1",
        ok=False,
    )
    assert result.exit_code == 2
    assert "ISO" in result.output


def test_calendar_days_lists_make_up_saturday_with_its_reason(demo_office: Path) -> None:
    days = json.loads(run(demo_office, "calendar", "days", "--year", "2026", "--json").output)
    by_date = {d["date"]: d for d in days}
    assert by_date["2026-08-22"]["working"] is True
    assert "31/8" in by_date["2026-08-22"]["reason"]
    assert by_date["2026-04-27"]["working"] is False
    assert all(not by_date[f"2026-02-{day}"]["working"] for day in (16, 17, 18, 19, 20))


def test_catalog_list_and_import(demo_office: Path, tmp_path: Path) -> None:
    procedures = json.loads(run(demo_office, "catalog", "list", "--json").output)
    assert len(procedures) >= 40
    assert len({p["field_code"] for p in procedures}) >= 8
    csv = tmp_path / "small.csv"
    csv.write_text(
        "code,name,field,duration_value,duration_unit,fee_counter_vnd\n"
        "9.000001,Thủ tục thử,Thử nghiệm,2,working_day,5000\n",
        encoding="utf-8",
    )
    out = run(demo_office, "catalog", "import", str(csv))
    assert "1 thủ tục" in out.output
    after = json.loads(run(demo_office, "catalog", "list", "--json").output)
    assert [p["code"] for p in after] == ["9.000001"]
    assert after[0]["fee_counter_vnd"] == 5000


def test_a_bad_catalogue_reports_lines_and_columns_and_imports_nothing(
    demo_office: Path, tmp_path: Path
) -> None:
    before = json.loads(run(demo_office, "catalog", "list", "--json").output)
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,field,duration_value,duration_unit,fee_counter_vnd\n"
        "9.000001,Thủ tục thử,Thử nghiệm,2,working_day,5000\n"
        "9.000002,,Thử nghiệm,x,working_day,-1\n",
        encoding="utf-8",
    )
    result = run(demo_office, "catalog", "import", str(bad), ok=False)
    assert result.exit_code == 1
    assert "dòng 3" in result.output
    assert "name" in result.output and "duration_value" in result.output
    assert "fee_counter_vnd" in result.output
    after = json.loads(run(demo_office, "catalog", "list", "--json").output)
    assert after == before


def test_a_catalogue_file_that_is_not_utf8_gets_a_clear_message(
    demo_office: Path, tmp_path: Path
) -> None:
    bad = tmp_path / "latin.csv"
    bad.write_bytes(b"code,name\n1,Th\xfe t\xf9c\n")
    result = run(demo_office, "catalog", "import", str(bad), ok=False)
    assert result.exit_code == 1
    assert "UTF-8" in result.output


def test_backup_and_restore_round_trip(demo_office: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.db"
    run(demo_office, "backup", str(copy))
    assert copy.is_file()
    fresh = tmp_path / "other"
    run(fresh, "init")
    run(fresh, "restore", str(copy))
    rows = json.loads(run(fresh, "dossiers", "list", "--limit", "500", "--json").output)
    assert len(rows) == 120


def test_restore_refuses_a_file_that_is_not_a_database(demo_office: Path, tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    result = run(demo_office, "restore", str(junk), ok=False)
    assert result.exit_code == 1
    assert result.output.startswith("Lỗi:")
    rows = json.loads(run(demo_office, "dossiers", "list", "--limit", "500", "--json").output)
    assert len(rows) == 120


def test_commands_on_a_missing_office_say_to_run_init(tmp_path: Path) -> None:
    result = run(tmp_path / "nothing", "dossiers", "list", ok=False)
    assert result.exit_code == 1
    assert "kiosk init" in result.output


def test_invalid_settings_stop_the_command_with_file_and_key(tmp_path: Path) -> None:
    office = tmp_path / "broken"
    office.mkdir()
    (office / "settings.toml").write_text('[hours]\nsame_day_cutoff = "15h"\n', encoding="utf-8")
    result = run(office, "settings", "check", ok=False)
    assert result.exit_code == 1
    assert "settings.toml" in result.output and "hours.same_day_cutoff" in result.output


def test_user_errors_are_logged(tmp_path: Path) -> None:
    office = tmp_path / "logged"
    run(office, "dossiers", "list", ok=False)
    log = (office / "logs" / "kiosk.log").read_text(encoding="utf-8")
    entry = json.loads(log.strip().splitlines()[-1])
    assert entry["level"] == "WARNING" and "kiosk init" in entry["message"]


def test_python_dash_m_kiosk_runs_and_errors_have_no_traceback(tmp_path: Path) -> None:
    version = subprocess.run(
        [sys.executable, "-m", "kiosk", "--version"], capture_output=True, text=True, check=True
    )
    assert "kiosk" in version.stdout
    failed = subprocess.run(
        [sys.executable, "-m", "kiosk", "--data-dir", str(tmp_path / "x"), "dossiers", "list"],
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 1
    assert "Traceback" not in failed.stderr
    assert failed.stderr.startswith("Lỗi:")


def _all_commands(group: click.Group, prefix: str = "kiosk") -> list[str]:
    names = []
    for name, command in group.commands.items():
        full = f"{prefix} {name}"
        if isinstance(command, click.Group):
            names.extend(_all_commands(command, full))
        else:
            names.append(full)
    return names


def test_every_command_is_documented() -> None:
    docs = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [name for name in _all_commands(cli) if f"`{name}" not in docs]
    assert not missing, missing


def test_the_admin_screen_on_the_hub_pc_finds_the_token_the_hub_wrote(tmp_path: Path) -> None:
    from kiosk.cli import admin_token
    from kiosk.hub.server import ADMIN_TOKEN_FILE
    from kiosk.paths import resolve_paths

    paths = resolve_paths(tmp_path / "office")
    paths.data_dir.mkdir(parents=True)
    assert admin_token(paths, "") == ""  # another PC: nothing to find, the screen says so
    (paths.data_dir / ADMIN_TOKEN_FILE).write_text("tok-123\n", encoding="utf-8")
    assert admin_token(paths, "") == "tok-123"
    assert admin_token(paths, "given") == "given"  # --token / KIOSK_DEVICE_TOKEN win


def test_staff_list_and_set_on_the_hub_pc_rescue_a_forgotten_admin_pin(tmp_path: Path) -> None:
    """The IT officer's way back in: list the accounts, reset a PIN, unlock, mark someone as
    left, with the admin screen's rules (never the last active admin) and no secret shown."""
    import sqlite3

    from kiosk.hub.auth import authenticate_device, login, register_device
    from kiosk.office import Office
    from kiosk.paths import resolve_paths

    office = tmp_path / "office"
    run(office, "init")
    run(
        office,
        "staff",
        "add",
        "quantri",
        "--name",
        "Quản trị",
        "--role",
        "admin",
        "--secret",
        "2468",
    )
    run(office, "staff", "add", "lan", "--name", "Trần Thị Lan", "--secret", "1357")
    listed = json.loads(run(office, "staff", "list", "--json").output)
    assert [row["username"] for row in listed] == ["lan", "quantri"]
    assert not any("secret" in key or "hash" in key for row in listed for key in row)
    database = resolve_paths(office).database
    with sqlite3.connect(database) as conn:
        conn.execute("UPDATE staff SET locked_until = '2999-01-01T08:30:00+07:00'")
    assert "bị khóa đến 08:30" in run(office, "staff", "list").output

    result = CliRunner().invoke(
        cli,
        ["--data-dir", str(office), "staff", "set", "quantri", "--reset-secret", "--unlock"],
        input="97531\n97531\n",
    )
    assert result.exit_code == 0, result.output
    assert "Đã cập nhật tài khoản 'quantri'" in result.output
    rows = {
        row["username"]: row for row in json.loads(run(office, "staff", "list", "--json").output)
    }
    assert rows["quantri"]["locked"] is False and rows["lan"]["locked"] is True
    with Office.open(resolve_paths(office)) as opened:
        _device, token = register_device(opened.store, name="Máy quản trị", role="admin", actor="t")
        device = authenticate_device(opened.store, token)
        session, _token = login(opened.store, device, "quantri", "97531")
        assert session.staff.username == "quantri"
        with pytest.raises(KioskError):
            login(opened.store, device, "quantri", "2468")  # the old PIN no longer works

    # The last active admin cannot be marked as left; a clerk can, and comes back.
    refused = run(office, "staff", "set", "quantri", "--left", ok=False)
    assert refused.exit_code == 1 and "quản trị cuối cùng" in refused.output
    assert "Traceback" not in refused.output
    run(office, "staff", "set", "lan", "--left", "--role", "supervisor")
    rows = {
        row["username"]: row for row in json.loads(run(office, "staff", "list", "--json").output)
    }
    assert rows["lan"]["active"] is False and rows["lan"]["role"] == "supervisor"
    assert "đã nghỉ" in run(office, "staff", "list").output
    run(office, "staff", "set", "lan", "--active")
    assert "Trần Thị Lan" in run(office, "staff", "list").output

    unknown = run(office, "staff", "set", "khongco", "--reset-secret", ok=False)  # no prompt
    assert unknown.exit_code == 1 and "Không có tài khoản cán bộ 'khongco'" in unknown.output
    nothing = run(office, "staff", "set", "lan", ok=False)
    assert nothing.exit_code == 1 and "Chưa có thay đổi nào" in nothing.output
    with sqlite3.connect(database) as conn:
        audit = [
            row[0]
            for row in conn.execute("SELECT details FROM audit WHERE action = 'staff.update'")
        ]
    assert len(audit) == 3 and not any("97531" in row or "argon2" in row for row in audit)


def test_the_command_is_a_package_of_small_modules_and_runs_as_python_m(tmp_path: Path) -> None:
    folder = ROOT / "kiosk" / "cli"
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in folder.glob("*.py")}
    assert len(sizes) >= 5 and max(sizes.values()) <= 600, sizes
    for module in ("kiosk", "kiosk.cli"):
        result = subprocess.run(
            [sys.executable, "-m", module, "--data-dir", str(tmp_path), "--version"],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("kiosk, version"), result.stdout
