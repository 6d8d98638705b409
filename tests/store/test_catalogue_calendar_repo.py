"""Catalogue replaced all-or-nothing and read back whole; calendar overrides kept per day."""

from __future__ import annotations

from datetime import date, time

import pytest

from kiosk.domain.calendar import CalendarOverride, OverrideKind
from kiosk.domain.catalogue import (
    Catalogue,
    CopyKind,
    Duration,
    DurationUnit,
    Field,
    Procedure,
    RequiredDocument,
)
from kiosk.domain.errors import CatalogueError
from kiosk.store import Store
from kiosk.store.calendar_repo import (
    delete_override,
    list_overrides,
    replace_overrides,
    upsert_override,
)
from kiosk.store.catalogue_repo import get_procedure, load_catalogue, replace_catalogue

BIRTH = Procedure(
    code="1.001193",
    name="Đăng ký khai sinh",
    field_code="HT",
    duration=Duration(0, DurationUnit.WORKING_DAY),
    same_day_cutoff=time(15, 0),
    fee_counter=0,
    fee_online=None,
    documents=(
        RequiredDocument("Tờ khai đăng ký khai sinh"),
        RequiredDocument("Giấy chứng sinh", (CopyKind.ORIGINAL, CopyKind.CERTIFIED), 1),
        RequiredDocument("Giấy tờ tùy thân", (CopyKind.PHOTOCOPY,), 2, optional=True),
    ),
    processing_unit="UBND xã",
    source="dichvucong.gov.vn",
    extra={"level": "4"},
)
LAND = Procedure(
    code="1.003003",
    name="Đăng ký đất đai lần đầu",
    field_code="DD",
    duration=Duration(17),
    fee_counter=None,
    fee_by_province=True,
    fee_note="Theo nghị quyết HĐND tỉnh",
    duration_note="không kể thời gian xác minh",
)
COPY = Procedure(
    code="2.000815",
    name="Chứng thực bản sao từ bản chính",
    field_code="CT",
    duration=None,
    fee_counter=2000,
    fee_online=1000,
)
CATALOGUE = Catalogue(
    fields=(Field("HT", "Hộ tịch"), Field("DD", "Đất đai"), Field("CT", "Chứng thực")),
    procedures=(BIRTH, LAND, COPY),
)


def test_catalogue_round_trips_with_documents_fees_and_durations(store: Store) -> None:
    with store.write("admin", "catalogue.import") as tx:
        replace_catalogue(tx, CATALOGUE)
    loaded = load_catalogue(store)
    assert loaded == CATALOGUE
    assert [p.extra for p in loaded.procedures] == [{"level": "4"}, {}, {}]
    assert get_procedure(store, "1.001193") == BIRTH
    assert get_procedure(store, "9.999999") is None


def test_replacing_removes_what_the_new_catalogue_lacks(store: Store) -> None:
    with store.write("admin", "catalogue.import") as tx:
        replace_catalogue(tx, CATALOGUE)
    smaller = Catalogue(fields=(Field("HT", "Hộ tịch"),), procedures=(BIRTH,))
    with store.write("admin", "catalogue.import") as tx:
        replace_catalogue(tx, smaller)
    assert load_catalogue(store) == smaller
    assert store.conn.execute("SELECT count(*) FROM procedure_documents").fetchone()[0] == 3


def test_a_bad_catalogue_changes_nothing(store: Store) -> None:
    with store.write("admin", "catalogue.import") as tx:
        replace_catalogue(tx, CATALOGUE)
    orphan = Procedure("1.000001", "Thủ tục lạc", "XX", Duration(1))
    duplicate = Catalogue(fields=CATALOGUE.fields, procedures=(BIRTH, BIRTH, orphan))
    with pytest.raises(CatalogueError) as caught, store.write("admin", "x") as tx:
        replace_catalogue(tx, duplicate)
    problems = " | ".join(str(p) for p in caught.value.problems)
    assert "1.001193" in problems and "XX" in problems
    assert load_catalogue(store) == CATALOGUE


def test_overrides_are_upserted_listed_by_year_and_deleted(store: Store) -> None:
    makeup = CalendarOverride(date(2026, 8, 22), OverrideKind.WORKDAY, "Làm bù cho 31/8")
    day_off = CalendarOverride(date(2026, 8, 31), OverrideKind.DAY_OFF, "Nghỉ bù")
    next_year = CalendarOverride(date(2027, 2, 5), OverrideKind.HOLIDAY, "Tết")
    with store.write("admin", "calendar.override") as tx:
        for override in (day_off, next_year, makeup):
            upsert_override(tx, override)
    assert list_overrides(store, 2026) == [makeup, day_off]
    assert list_overrides(store) == [makeup, day_off, next_year]

    changed = CalendarOverride(date(2026, 8, 31), OverrideKind.HOLIDAY, "Quốc khánh (bổ sung)")
    with store.write("admin", "calendar.override") as tx:
        upsert_override(tx, changed)
        assert delete_override(tx, date(2027, 2, 5)) is True
        assert delete_override(tx, date(2027, 2, 6)) is False
    assert list_overrides(store) == [makeup, changed]


def test_replacing_overrides_keeps_only_the_snapshot(store: Store) -> None:
    with store.write("sync", "calendar.pull") as tx:
        upsert_override(tx, CalendarOverride(date(2026, 1, 2), OverrideKind.DAY_OFF))
        replace_overrides(tx, [CalendarOverride(date(2026, 4, 27), OverrideKind.DAY_OFF, "Bù")])
    assert [o.day for o in list_overrides(store)] == [date(2026, 4, 27)]
