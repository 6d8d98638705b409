"""The default catalogue shipped in assets/: real procedures, read through the JSON importer."""

from __future__ import annotations

import importlib.util
import unicodedata
from datetime import time
from pathlib import Path
from types import ModuleType

import pytest

from kiosk.domain.catalogue import Catalogue, CopyKind, Duration, DurationUnit
from kiosk.domain.catalogue_io import catalogue_to_json, parse_catalogue_json
from kiosk.domain.text import fold

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_JSON = ROOT / "assets" / "catalogue" / "default.json"
BUILD_SCRIPT = ROOT / "scripts" / "build_default_catalogue.py"
FACTS_CSV = ROOT / "assets" / "catalogue" / "sources" / "procedures-facts.csv"

SAME_DAY = Duration(0, DurationUnit.WORKING_DAY)

# DOMAIN.md's table, for the codes procedures-facts.csv holds: (time limit, fee at the counter).
DOMAIN_TABLE = {
    "1.001193": (SAME_DAY, 0),  # khai sinh: same day, cut-off 15:00, free if on time
    "1.000894": (SAME_DAY, 0),  # kết hôn
    "1.000656": (SAME_DAY, 0),  # khai tử
    "2.000635": (SAME_DAY, 8000),  # bản sao trích lục (TT 281/2016)
    "2.000815": (SAME_DAY, 2000),  # chứng thực bản sao: 2,000/page
    "2.000884": (SAME_DAY, 10000),  # chứng thực chữ ký: 10,000 per case
    "1.001612": (Duration(3, DurationUnit.WORKING_DAY), None),  # hộ kinh doanh: province fee
}


@pytest.fixture(scope="module")
def text() -> str:
    return DEFAULT_JSON.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def catalogue(text: str) -> Catalogue:
    return parse_catalogue_json(text)


def test_default_catalogue_has_at_least_40_procedures_in_8_fields(catalogue: Catalogue) -> None:
    assert len(catalogue.procedures) >= 40
    used_fields = {p.field_code for p in catalogue.procedures}
    assert len(used_fields) >= 8
    assert used_fields <= set(catalogue.field_by_code())


@pytest.mark.parametrize("code", sorted(DOMAIN_TABLE))
def test_domain_table_procedures_are_present_with_their_time_limits(
    catalogue: Catalogue, code: str
) -> None:
    duration, fee = DOMAIN_TABLE[code]
    procedure = catalogue.procedure(code)
    assert procedure is not None
    assert procedure.duration == duration
    assert procedure.fee_counter == fee
    if duration == SAME_DAY:
        assert procedure.same_day_cutoff == time(15, 0)


def test_civil_status_and_certification_are_their_own_fields(catalogue: Catalogue) -> None:
    fields = catalogue.field_by_code()
    birth = catalogue.procedure("1.001193")
    copy = catalogue.procedure("2.000815")
    assert birth is not None and copy is not None
    assert fields[birth.field_code].name == "Hộ tịch"
    assert fields[copy.field_code].name == "Chứng thực"


def test_fees_set_by_provinces_are_marked(catalogue: Catalogue) -> None:
    business = catalogue.procedure("1.001612")
    assert business is not None
    assert business.fee_by_province
    assert business.fee_counter is None
    assert "HĐND" in business.fee_note
    province_set = [p for p in catalogue.procedures if p.fee_by_province]
    assert len(province_set) >= 10
    for procedure in province_set:
        assert procedure.fee_note, f"{procedure.code}: a province fee needs its note"
    for procedure in catalogue.procedures:
        if procedure.fee_counter is None and "hdnd" in fold(procedure.fee_note):
            assert procedure.fee_by_province, procedure.code


def test_a_fee_the_portal_does_not_publish_is_not_called_a_province_fee(
    catalogue: Catalogue,
) -> None:
    school = catalogue.procedure("2.002481")
    assert school is not None
    assert school.fee_counter is None
    assert not school.fee_by_province


def test_every_procedure_keeps_its_source(catalogue: Catalogue) -> None:
    for procedure in catalogue.procedures:
        assert procedure.source, procedure.code


def test_documents_are_split_with_sensible_copy_kinds(catalogue: Catalogue) -> None:
    birth = catalogue.procedure("1.001193")
    assert birth is not None
    assert len(birth.documents) >= 5
    form = birth.documents[0]
    assert form.name.startswith("Tờ khai")
    assert form.copy_kinds == (CopyKind.ORIGINAL,)
    identity = next(d for d in birth.documents if d.name.startswith("Xuất trình"))
    assert identity.copy_kinds == (CopyKind.ORIGINAL,)
    assert not identity.optional
    copies = [d for p in catalogue.procedures for d in p.documents if d.name.startswith("Bản sao")]
    to_certify = [d for d in copies if "cần chứng thực" in d.name]
    handed_in = [d for d in copies if d not in to_certify]
    assert handed_in and to_certify
    assert all(CopyKind.CERTIFIED in d.copy_kinds for d in handed_in)
    # The copy to be certified is a photocopy (or the office copies the original shown).
    assert all(CopyKind.PHOTOCOPY in d.copy_kinds for d in to_certify)
    assert all(CopyKind.CERTIFIED not in d.copy_kinds for d in to_certify)


def test_no_fixed_time_limit_keeps_its_reason(catalogue: Catalogue) -> None:
    poor_households = catalogue.procedure("1.011606")
    assert poor_households is not None
    assert poor_households.duration is None
    assert "rà soát" in poor_households.duration_note


def test_default_catalogue_file_is_nfc_and_written_by_the_exporter(text: str) -> None:
    assert unicodedata.is_normalized("NFC", text)
    assert catalogue_to_json(parse_catalogue_json(text)) == text


def _load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_default_catalogue", BUILD_SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_default_catalogue_is_up_to_date_with_the_research_file(text: str) -> None:
    build = _load_build_script()
    rebuilt = catalogue_to_json(build.build(FACTS_CSV.read_text(encoding="utf-8")))
    assert rebuilt == text, "run: uv run python scripts/build_default_catalogue.py"
