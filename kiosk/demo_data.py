"""Synthetic but realistic dossiers for the demo office and the search benchmark.

Everything is drawn from one seeded `random.Random`, so a seed always gives the same people:
Vietnamese names with realistic family-name frequencies (Nguyễn about 38%), gender-consistent
middle and given names, 12-digit citizen IDs whose province and gender/century digits agree with
the person, mobile numbers on real network prefixes, and village/commune addresses. Nobody here
is real; any resemblance is chance.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import islice
from typing import Final

from kiosk.clock import VN_TZ
from kiosk.domain.catalogue import Catalogue, CopyKind
from kiosk.domain.codes import format_dossier_code, validate_unit_code
from kiosk.domain.lifecycle import DossierEvent, DossierStatus
from kiosk.domain.text import fold
from kiosk.domain.validation import MOBILE_PREFIXES, PROVINCE_CODES
from kiosk.store.db import Store
from kiosk.store.dossier_repo import (
    DossierDocument,
    NewDossier,
    dossier_columns,
    service_day,
)
from kiosk.store.sequences import DOSSIER_CODE, REGISTER, dossier_scope, take_sequence_block

# Shares of the population (Wikipedia, "Họ người Việt Nam"); the rest spread over rarer names.
FAMILY_NAMES: Final[tuple[tuple[str, float], ...]] = (
    ("Nguyễn", 38.4),
    ("Trần", 12.1),
    ("Lê", 9.5),
    ("Phạm", 7.0),
    ("Hoàng", 3.0),
    ("Huỳnh", 2.1),
    ("Phan", 4.5),
    ("Vũ", 2.0),
    ("Võ", 1.9),
    ("Đặng", 2.1),
    ("Bùi", 2.0),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1.0),
    ("Lý", 0.5),
    ("Trương", 0.8),
    ("Đinh", 0.7),
    ("Đoàn", 0.6),
    ("Lương", 0.5),
    ("Trịnh", 0.5),
    ("Mai", 0.4),
    ("Cao", 0.4),
    ("Lâm", 0.4),
    ("Hà", 0.4),
    ("Tạ", 0.3),
    ("Chu", 0.2),
    ("Tô", 0.2),
    ("Quách", 0.1),
    ("Kiều", 0.1),
)

MIDDLE_NAMES_MALE: Final[tuple[tuple[str, float], ...]] = (
    ("Văn", 40),
    ("Hữu", 6),
    ("Đức", 8),
    ("Minh", 8),
    ("Quang", 6),
    ("Công", 5),
    ("Thành", 4),
    ("Xuân", 4),
    ("Đình", 5),
    ("Ngọc", 3),
    ("Thanh", 3),
    ("Tuấn", 2),
    ("Gia", 2),
    ("Bảo", 2),
    ("Trọng", 3),
    ("Quốc", 3),
    ("Mạnh", 2),
    ("Văn Minh", 1),
    ("Hoàng", 2),
)

MIDDLE_NAMES_FEMALE: Final[tuple[tuple[str, float], ...]] = (
    ("Thị", 45),
    ("Ngọc", 7),
    ("Thu", 5),
    ("Thanh", 5),
    ("Minh", 3),
    ("Phương", 3),
    ("Kim", 4),
    ("Hồng", 4),
    ("Mai", 2),
    ("Bảo", 2),
    ("Khánh", 2),
    ("Thùy", 3),
    ("Diệu", 1),
    ("Hoài", 2),
    ("Thị Ngọc", 3),
    ("Thị Thu", 2),
    ("Thị Kim", 2),
    ("Quỳnh", 2),
)

GIVEN_NAMES_MALE: Final[tuple[str, ...]] = (
    "Anh", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hùng", "Huy",
    "Khang", "Khoa", "Long", "Minh", "Nam", "Nghĩa", "Phong", "Phúc", "Quân", "Quang",
    "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tuấn", "Tùng", "Việt",
    "Vinh", "Khải", "Lâm", "Hoàng", "Kiên", "Lợi", "Thịnh", "Hưng", "Trí", "Hậu", "Lộc",
)  # fmt: skip

GIVEN_NAMES_FEMALE: Final[tuple[str, ...]] = (
    "An", "Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa", "Hương",
    "Huyền", "Lan", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhung",
    "Oanh", "Phương", "Quỳnh", "Thảo", "Thu", "Thúy", "Trang", "Trinh", "Tuyết", "Uyên",
    "Vân", "Yến", "Hồng", "Nhi", "Vy", "Thư", "Diệp", "Xuân",
)  # fmt: skip

HAMLET_PREFIXES: Final = ("Thôn", "Xóm", "Tổ dân phố", "Khu phố", "Ấp")
HAMLET_NAMES: Final = (
    "Đông", "Tây", "Nam", "Bắc", "Trung", "Hạ", "Thượng", "Cao Xá", "An Lạc", "Phú Mỹ",
    "Tân Lập", "Hòa Bình", "Quyết Thắng", "Đoài", "Chợ", "Mới", "Bến", "Đình",
)  # fmt: skip
COMMUNES: Final = (
    ("xã", "Ninh Giang"), ("xã", "Hồng Phong"), ("xã", "Tân Hương"), ("xã", "Vĩnh Lại"),
    ("xã", "Ứng Hòe"), ("xã", "Nghĩa An"), ("xã", "Kiến Quốc"), ("xã", "Hồng Dụ"),
    ("phường", "Thanh Bình"), ("phường", "Hải Tân"), ("phường", "Lê Thanh Nghị"),
    ("phường", "Tân Bình"), ("xã", "Đồng Tâm"), ("xã", "An Đức"),
)  # fmt: skip
HOME_PROVINCE: Final = "030"  # Hải Dương: most applicants of an office were born nearby
PROVINCE_NAME: Final = "thành phố Hải Phòng"
DEMO_UNIT_CODE: Final = "000.00.21.H12"

#: A few real procedures (DOMAIN.md), used when no catalogue is given.
DEMO_PROCEDURES: Final[Mapping[str, str]] = {
    "1.001193": "Đăng ký khai sinh",
    "1.000894": "Đăng ký kết hôn",
    "1.000656": "Đăng ký khai tử",
    "2.000635": "Cấp bản sao trích lục hộ tịch",
    "2.000815": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
    "2.000884": "Chứng thực chữ ký trong các giấy tờ, văn bản",
    "1.001612": "Đăng ký thành lập hộ kinh doanh",
}

_SESSIONS: Final = ((time(7, 30), time(11, 30)), (time(13, 30), time(16, 45)))


def _pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


@dataclass(frozen=True, slots=True)
class Person:
    name: str
    female: bool
    birth_year: int
    citizen_id: str
    phone: str
    email: str
    address: str


class PersonFactory:
    """Draws people from a seeded generator."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._mobile = sorted(MOBILE_PREFIXES)
        self._provinces = sorted(PROVINCE_CODES)

    def name(self, female: bool) -> str:
        rng = self.rng
        family = _pick(rng, FAMILY_NAMES)
        middle = _pick(rng, MIDDLE_NAMES_FEMALE if female else MIDDLE_NAMES_MALE)
        given = rng.choice(GIVEN_NAMES_FEMALE if female else GIVEN_NAMES_MALE)
        return f"{family} {middle} {given}"

    def citizen_id(self, female: bool, birth_year: int) -> str:
        """12 digits: province of birth registration, gender/century, year, 6 random digits."""
        rng = self.rng
        province = HOME_PROVINCE if rng.random() < 0.7 else rng.choice(self._provinces)
        century_digit = 2 * ((birth_year // 100) - 19) + int(female)
        return f"{province}{century_digit}{birth_year % 100:02d}{rng.randrange(10**6):06d}"

    def phone(self) -> str:
        return f"0{self.rng.choice(self._mobile)}{self.rng.randrange(10**7):07d}"

    def address(self) -> str:
        rng = self.rng
        hamlet = f"{rng.choice(HAMLET_PREFIXES)} {rng.choice(HAMLET_NAMES)}"
        if rng.random() < 0.3:
            hamlet = f"Số {rng.randint(1, 250)}, {hamlet}"
        kind, commune = rng.choice(COMMUNES)
        return f"{hamlet}, {kind} {commune}, {PROVINCE_NAME}"

    def person(self, *, today: date) -> Person:
        rng = self.rng
        female = rng.random() < 0.52
        birth_year = rng.randint(max(today.year - 85, 1920), today.year - 18)
        name = self.name(female)
        email = ""
        if rng.random() < 0.2:
            words = fold(name).split(" ")
            email = f"{words[-1]}{words[0]}{rng.randint(1, 999)}@gmail.com"
        return Person(
            name=name,
            female=female,
            birth_year=birth_year,
            citizen_id=self.citizen_id(female, birth_year),
            phone=self.phone(),
            email=email,
            address=self.address(),
        )


def _working_days(start: date) -> Iterator[date]:
    day = start
    while True:
        if day.weekday() < 5:
            yield day
        day += timedelta(days=1)


def _times_of_day(rng: random.Random, day: date, count: int) -> list[datetime]:
    moments = []
    for _ in range(count):
        begin, end = rng.choice(_SESSIONS)
        span = (end.hour * 60 + end.minute) - (begin.hour * 60 + begin.minute)
        minute = begin.hour * 60 + begin.minute + rng.randrange(span)
        moments.append(
            datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=VN_TZ)
        )
    return sorted(moments)


def _procedure_names(
    catalogue_codes: Sequence[str] | Mapping[str, str] | Catalogue,
) -> list[tuple[str, str]]:
    if isinstance(catalogue_codes, Catalogue):
        return [(p.code, p.name) for p in catalogue_codes.procedures]
    if isinstance(catalogue_codes, Mapping):
        return list(catalogue_codes.items())
    return [(c, DEMO_PROCEDURES.get(c, f"Thủ tục {c}")) for c in catalogue_codes]


def generate_dossiers(
    n: int,
    *,
    seed: int,
    catalogue_codes: Sequence[str] | Mapping[str, str] | Catalogue = DEMO_PROCEDURES,
    unit_code: str = DEMO_UNIT_CODE,
    start: date,
    per_day: int = 60,
) -> Iterator[NewDossier]:
    """`n` dossiers received from `start` on, about `per_day` each working day (Mon–Fri).

    `catalogue_codes` gives the procedures: codes (names from `DEMO_PROCEDURES`), a code → name
    mapping, or a Catalogue. The same arguments always give the same dossiers.
    """
    procedures = _procedure_names(catalogue_codes)
    if not procedures:
        raise ValueError("generate_dossiers needs at least one procedure")
    # Popular procedures (certification, birth) dominate a real counter's day.
    weights = [1.0 / (i + 1) ** 0.8 for i in range(len(procedures))]
    rng = random.Random(seed)
    people = PersonFactory(rng)
    regulars: list[Person] = []
    produced = 0
    for day in _working_days(start):
        if produced >= n:
            return
        count = min(n - produced, max(1, int(rng.gauss(per_day, per_day * 0.25))))
        for moment in _times_of_day(rng, day, count):
            # About one applicant in ten comes back with another dossier.
            if regulars and rng.random() < 0.1:
                person = rng.choice(regulars)
            else:
                person = people.person(today=day)
                if len(regulars) < 5000:
                    regulars.append(person)
                else:
                    regulars[rng.randrange(len(regulars))] = person
            code, name = rng.choices(procedures, weights=weights)[0]
            channel = rng.choices(("counter", "online", "postal"), weights=(85, 10, 5))[0]
            yield NewDossier(
                unit_code=unit_code,
                received_at=moment,
                procedure_code=code,
                procedure_name=name,
                applicant_name=person.name,
                applicant_id_number=person.citizen_id,
                applicant_phone=person.phone,
                applicant_email=person.email,
                applicant_address=person.address,
                sets=1 if rng.random() < 0.9 else 2,
                channel=channel,
                return_channel=channel if rng.random() < 0.8 else "counter",
                documents=(
                    DossierDocument("Tờ khai theo mẫu", CopyKind.ORIGINAL, 1),
                    DossierDocument("Giấy tờ tùy thân", CopyKind.PHOTOCOPY, 1),
                ),
            )
            produced += 1


_INSERT_SQL_CACHE: dict[tuple[str, ...], str] = {}


def _insert_sql(table: str, columns: tuple[str, ...]) -> str:
    key = (table, *columns)
    if key not in _INSERT_SQL_CACHE:
        marks = ", ".join("?" for _ in columns)
        _INSERT_SQL_CACHE[key] = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
    return _INSERT_SQL_CACHE[key]


def bulk_insert_dossiers(
    store: Store, rows: Iterable[NewDossier], *, actor: str = "demo", batch_size: int = 20_000
) -> int:
    """Insert many dossiers fast; returns how many.

    Each batch is one `store.write` transaction: codes and register numbers come from the same
    sequences as `insert_dossier` (taken as blocks), every dossier gets its documents and its
    reception event, and the batch writes ONE outbox event `demo.dossiers_generated` (count and
    code range) instead of one `dossier.received` per dossier: demo data is not real intake and
    must not be counted as such by the district server.
    """
    total = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, batch_size)):
        total += _insert_batch(store, batch, actor)
    return total


def _insert_batch(store: Store, batch: list[NewDossier], actor: str) -> int:
    with store.write(actor, "dossier.bulk_import", details={"count": len(batch)}) as tx:
        days = [service_day(d.received_at) for d in batch]
        per_scope = Counter(
            dossier_scope(d.unit_code, day) for d, day in zip(batch, days, strict=True)
        )
        per_year = Counter(day.year for day in days)
        next_seq = {s: take_sequence_block(tx, DOSSIER_CODE, s, c) for s, c in per_scope.items()}
        next_reg = {y: take_sequence_block(tx, REGISTER, str(y), c) for y, c in per_year.items()}
        first_id = int(tx.execute("SELECT coalesce(max(id), 0) + 1 FROM dossiers").fetchone()[0])
        dossiers, documents, events = [], [], []
        columns: tuple[str, ...] = ()
        for offset, (new, day) in enumerate(zip(batch, days, strict=True)):
            scope = dossier_scope(new.unit_code, day)
            seq, next_seq[scope] = next_seq[scope], next_seq[scope] + 1
            register_no, next_reg[day.year] = next_reg[day.year], next_reg[day.year] + 1
            code = format_dossier_code(new.unit_code, day, seq)
            row = {
                "id": first_id + offset,
                **dossier_columns(
                    new, code=code, register_no=register_no, created_by=actor, now_iso=tx.now_iso
                ),
            }
            columns = tuple(row)
            dossiers.append(tuple(row.values()))
            documents += [
                (row["id"], i, d.name, CopyKind(d.copy_kind).value, d.count)
                for i, d in enumerate(new.documents)
            ]
            events.append(
                (
                    row["id"],
                    row["received_at"],
                    DossierStatus.RECEIVED.value,
                    DossierEvent.RECEIVE.value,
                    actor,
                    validate_unit_code(new.unit_code),
                    new.channel,
                )
            )
        tx.executemany(_insert_sql("dossiers", columns), dossiers)
        tx.executemany(
            "INSERT INTO dossier_documents (dossier_id, position, name, copy_kind, count) "
            "VALUES (?, ?, ?, ?, ?)",
            documents,
        )
        tx.executemany(
            "INSERT INTO dossier_events (dossier_id, at, status_to, action, actor, unit, channel) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            events,
        )
        first_code = dossiers[0][columns.index("code")]
        last_code = dossiers[-1][columns.index("code")]
        tx.emit(
            "demo.dossiers_generated",
            {"count": len(batch), "first_code": first_code, "last_code": last_code},
        )
    return len(batch)
