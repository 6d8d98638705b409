from __future__ import annotations

from datetime import time
from pathlib import Path

import pytest

from kiosk.config import (
    PriorityMode,
    Settings,
    load_settings,
    save_settings,
)
from kiosk.domain.errors import SettingsError
from kiosk.domain.lifecycle import SupplementPolicy
from kiosk.paths import resolve_paths

GOOD = """
[office]
name = "UBND  phường   Hoàn Kiếm"
unit_code = "000.00.21.H12"
fields = ["ho-tich", "chung-thuc"]

[hours]
sessions = ["07:30-11:30", "13:00-16:30"]
same_day_cutoff = "15:00"
appointment = "08:00"
weekend = ["sunday"]

[dossiers]
supplement_policy = "extend_by_pause"
form_set = "2025"

[queue]
priority_mode = "strict"

[network]
hub_url = "http://192.0.2.10:8765/"
district_url = "https://district.example.vn"

[voice]
reading = "number"
region = "south"
english = true
repeat = 2

[[counters]]
number = 1
name = "Quầy Hộ tịch"
fields = ["ho-tich"]

[[counters]]
number = 3
name = "Quầy Chứng thực"
fields = ["chung-thuc"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "settings.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_gives_the_embedded_defaults(tmp_path: Path) -> None:
    settings = load_settings(tmp_path / "absent.toml")
    assert settings == Settings()
    assert settings.sessions == ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
    assert settings.same_day_cutoff == time(15, 0)


def test_a_full_file_is_read_and_cleaned(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, GOOD))
    assert settings.office_name == "UBND phường Hoàn Kiếm"
    assert settings.unit_code == "000.00.21.H12"
    assert settings.sessions == ((time(7, 30), time(11, 30)), (time(13, 0), time(16, 30)))
    assert settings.appointment_time == time(8, 0)
    assert settings.weekend == frozenset({6})
    assert settings.supplement_policy is SupplementPolicy.EXTEND_BY_PAUSE
    assert settings.priority_mode is PriorityMode.STRICT
    assert settings.form_set == "2025"
    assert settings.hub_url == "http://192.0.2.10:8765"
    assert [c.number for c in settings.counters] == [1, 3]
    assert settings.counters[1].fields == ("chung-thuc",)


def test_the_voice_section_is_read_into_the_call_style(tmp_path: Path) -> None:
    from kiosk.domain.voice import NumberReading, Region, VoiceStyle

    settings = load_settings(write(tmp_path, GOOD))
    assert settings.voice_style == VoiceStyle(
        reading=NumberReading.NUMBER, region=Region.SOUTH, chime=True, second_language=True
    )
    assert settings.voice_repeat == 2
    assert settings.voice_enabled
    assert Settings().voice_style == VoiceStyle()  # digit by digit, northern, chime, no English


def test_saved_settings_read_back_equal(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path, GOOD))
    target = tmp_path / "again" / "settings.toml"
    save_settings(settings, target)
    assert load_settings(target) == settings


@pytest.mark.parametrize(
    ("snippet", "key", "reason"),
    [
        ('[office]\nunit_code = "' + "X" * 36 + '"', "office.unit_code", "tối đa 35"),
        ('[office]\nunit_code = "000 00"', "office.unit_code", "chỉ gồm"),
        ('[hours]\nsessions = ["11:30-07:00"]', "hours.sessions", "kết thúc trước"),
        ('[hours]\nsame_day_cutoff = "25:00"', "hours.same_day_cutoff", "không tồn tại"),
        ('[hours]\nsame_day_cutoff = "3pm"', "hours.same_day_cutoff", "HH:MM"),
        ('[hours]\nweekend = ["caturday"]', "hours.weekend", "caturday"),
        ('[dossiers]\nsupplement_policy = "pause"', "dossiers.supplement_policy", "restart"),
        ('[dossiers]\nform_set = "2019"', "dossiers.form_set", "2018"),
        ("[queue]\npriority_every = 0", "queue.priority_every", "nguyên dương"),
        ('[network]\nhub_url = "hub:8765"', "network.hub_url", "http"),
        ('[office]\nnmae = "x"', "office.nmae", "không được hỗ trợ"),
        ('[voice]\nreading = "words"', "voice.reading", "digits, number"),
        ('[voice]\nregion = "hue"', "voice.region", "north, south"),
        ('[voice]\nchime = "yes"', "voice.chime", "true hoặc false"),
        ("[voice]\nrepeat = 3", "voice.repeat", "đọc hai lần"),
        ("[voice]\nrepeat = true", "voice.repeat", "đọc hai lần"),
        ('[voice]\nengine = "cloud"', "voice.engine", "clips, system"),
        ("[[counters]]\nnumber = 1\n[[counters]]\nnumber = 1", "counters[2].number", "hai lần"),
    ],
)
def test_invalid_settings_name_the_file_key_and_reason(
    tmp_path: Path, snippet: str, key: str, reason: str
) -> None:
    path = write(tmp_path, snippet)
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    message = info.value.message
    assert str(path) in message
    assert key in message
    assert reason in message


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, '[hours]\nsame_day_cutoff = "x"\n[queue]\npriority_mode = "fifo"\n')
    with pytest.raises(SettingsError) as info:
        load_settings(path)
    assert "hours.same_day_cutoff" in info.value.message
    assert "queue.priority_mode" in info.value.message


def test_broken_toml_is_a_settings_error_not_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path, "[office\nname = ")
    with pytest.raises(SettingsError, match="cú pháp TOML"):
        load_settings(path)


def test_counter_fields_must_be_served_by_the_office(tmp_path: Path) -> None:
    text = '[office]\nfields = ["ho-tich"]\n[[counters]]\nnumber = 1\nfields = ["dat-dai"]\n'
    with pytest.raises(SettingsError, match="dat-dai"):
        load_settings(write(tmp_path, text))


def test_cutoff_outside_the_sessions_is_refused(tmp_path: Path) -> None:
    text = '[hours]\nsessions = ["07:00-11:00"]\nsame_day_cutoff = "15:00"\n'
    with pytest.raises(SettingsError, match="same_day_cutoff"):
        load_settings(write(tmp_path, text))


def test_data_dir_option_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KIOSK_DATA_DIR", str(tmp_path / "from-env"))
    assert resolve_paths().database == tmp_path / "from-env" / "office.db"
    chosen = resolve_paths(tmp_path / "chosen")
    assert chosen.settings_file == tmp_path / "chosen" / "settings.toml"
    assert chosen.database == tmp_path / "chosen" / "office.db"


def test_without_override_paths_follow_the_platform(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KIOSK_DATA_DIR")
    paths = resolve_paths()
    assert "mot-cua-kiosk" in str(paths.settings_file)
    assert paths.database.name == "office.db"


def test_groups_and_counter_service_order_are_read(tmp_path: Path) -> None:
    text = """
[[groups]]
prefix = "A"
name = "Hộ tịch"
fields = ["ho-tich"]

[[groups]]
prefix = "B"
name = "Chứng thực"

[[counters]]
number = 1
groups = ["B", "A"]
"""
    settings = load_settings(write(tmp_path, text))
    assert [g.prefix for g in settings.groups] == ["A", "B"]
    assert settings.groups[0].fields == ("ho-tich",)
    assert settings.counters[0].groups == ("B", "A")


def test_counters_default_to_every_group(tmp_path: Path) -> None:
    text = '[[groups]]\nprefix = "A"\nname = "A"\n[[groups]]\nprefix = "B"\nname = "B"\n'
    settings = load_settings(write(tmp_path, text))
    assert all(c.groups == ("A", "B") for c in settings.counters)


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ('[[groups]]\nprefix = "a1"\nname = "x"\n', "groups[1].prefix"),
        ('[[groups]]\nprefix = "A"\nname = "x"\n[[groups]]\nprefix = "A"\nname = "y"\n', "hai lần"),
        ('[[counters]]\nnumber = 1\ngroups = ["Z"]\n', "counters[1].groups"),
    ],
)
def test_bad_groups_are_refused(tmp_path: Path, text: str, key: str) -> None:
    with pytest.raises(SettingsError, match=key.replace("[", r"\[").replace("]", r"\]")):
        load_settings(write(tmp_path, text))
