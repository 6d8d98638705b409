"""Synthetic dossiers: deterministic, realistic, valid, and loadable in bulk through the store."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime

from kiosk.clock import VN_TZ
from kiosk.demo_data import (
    DEMO_PROCEDURES,
    FAMILY_NAMES,
    GIVEN_NAMES_FEMALE,
    GIVEN_NAMES_MALE,
    PersonFactory,
    bulk_insert_dossiers,
    generate_dossiers,
)
from kiosk.domain.codes import parse_dossier_code
from kiosk.domain.validation import normalise_phone, parse_citizen_id
from kiosk.store import Store
from kiosk.store.dossier_repo import DossierRow, get_events, list_dossiers
from kiosk.store.search import search_dossiers

START = date(2026, 3, 16)


def _sample(n: int, seed: int = 7) -> list[object]:
    return list(generate_dossiers(n, seed=seed, start=START, per_day=40))


def test_the_same_seed_gives_the_same_dossiers_and_another_seed_others() -> None:
    assert _sample(50) == _sample(50)
    assert _sample(50) != _sample(50, seed=8)


def test_generated_ids_and_phones_pass_the_validation_rules() -> None:
    factory = PersonFactory(random.Random(3))
    for _ in range(500):
        person = factory.person(today=START)
        checked = parse_citizen_id(person.citizen_id, allow_legacy=False)
        assert checked.gender == ("nữ" if person.female else "nam")
        assert checked.birth_year == person.birth_year
        assert normalise_phone(person.phone) == person.phone
        given = person.name.split(" ")[-1]
        assert given in (GIVEN_NAMES_FEMALE if person.female else GIVEN_NAMES_MALE)


def test_family_names_follow_realistic_frequencies() -> None:
    rows = list(generate_dossiers(3000, seed=1, start=START, per_day=200))
    families = Counter(r.applicant_name.split(" ")[0] for r in rows)
    share = families["Nguyễn"] / len(rows)
    assert 0.30 < share < 0.45
    assert families.most_common(1)[0][0] == "Nguyễn"
    assert set(families) <= {name for name, _ in FAMILY_NAMES}
    assert len(families) >= 15


def test_dossiers_fall_in_office_hours_on_weekdays_in_time_order() -> None:
    rows = list(generate_dossiers(400, seed=2, start=START, per_day=50))
    times = [r.received_at for r in rows]
    assert times == sorted(times)
    assert all(t.weekday() < 5 and 7 <= t.hour < 17 for t in times)
    assert {r.procedure_code for r in rows} <= set(DEMO_PROCEDURES)
    assert times[0].date() >= START


def test_bulk_insert_issues_unique_codes_and_continues_the_sequences(
    store: Store, receive: Callable[..., DossierRow]
) -> None:
    rows = list(generate_dossiers(250, seed=5, start=START, per_day=100))
    assert bulk_insert_dossiers(store, rows, batch_size=60) == 250

    stored = list_dossiers(store, limit=1000)
    assert len({d.code for d in stored}) == 250
    per_day = Counter(parse_dossier_code(d.code).received_on for d in stored)
    for day, count in per_day.items():
        seqs = sorted(
            parse_dossier_code(d.code).seq
            for d in stored
            if parse_dossier_code(d.code).received_on == day
        )
        assert seqs == list(range(1, count + 1))
    assert sorted(d.register_no for d in stored) == list(range(1, 251))
    assert all(len(get_events(store, d.id)) == 1 for d in stored[:20])

    # A normal reception afterwards takes the next number of that day and of the year.
    last_day = max(per_day)
    after = receive(received_at=datetime(last_day.year, last_day.month, last_day.day, 16, 50,
                                         tzinfo=VN_TZ))  # fmt: skip
    assert parse_dossier_code(after.code).seq == per_day[last_day] + 1
    assert after.register_no == 251


def test_bulk_insert_writes_one_outbox_event_per_batch(store: Store) -> None:
    bulk_insert_dossiers(store, generate_dossiers(100, seed=5, start=START), batch_size=40)
    types = [r[0] for r in store.conn.execute("SELECT type FROM outbox ORDER BY seq")]
    assert types == ["demo.dossiers_generated"] * 3


def test_bulk_inserted_dossiers_are_searchable(store: Store) -> None:
    rows = list(generate_dossiers(120, seed=9, start=START))
    bulk_insert_dossiers(store, rows)
    target = rows[37]
    found = search_dossiers(store, target.applicant_phone)
    assert [d.applicant_name for d in found] == [target.applicant_name]
