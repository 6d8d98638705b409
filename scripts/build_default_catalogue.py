"""Build assets/catalogue/default.json from the research file procedures-facts.csv.

A one-off, committed so the default catalogue can be rebuilt when the research file changes:

    uv run python scripts/build_default_catalogue.py [CSV] [OUT]

CSV defaults to assets/catalogue/sources/procedures-facts.csv (the project's research file, kept
in the repository with its notes and each row's sources), OUT to
assets/catalogue/default.json. The CSV goes through the same importer as `kiosk catalog import`,
then two facts from procedures-facts-notes.md are applied that the file itself cannot say.
"""

from __future__ import annotations

import dataclasses
import sys
from pathlib import Path

from kiosk.domain.catalogue import Catalogue, Procedure
from kiosk.domain.catalogue_io import catalogue_to_json, parse_catalogue_csv, parse_catalogue_json
from kiosk.domain.text import fold

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CSV = ROOT / "assets" / "catalogue" / "sources" / "procedures-facts.csv"
DEFAULT_OUT = ROOT / "assets" / "catalogue" / "default.json"

# From the notes, section 4: abolished in Hải Phòng from 01/01/2027 (QĐ 3249/QĐ-UBND).
ABOLISHED_IN_HAI_PHONG_2027 = {"1.011606", "1.011607", "1.011608", "3.000412"}


def refine(procedure: Procedure) -> Procedure:
    """Apply what the notes say beyond the CSV's own conventions."""
    extra = dict(procedure.extra)
    by_province = procedure.fee_by_province
    note = fold(procedure.fee_note)
    # An empty fee means "set by the province" in the CSV, except where the note says the
    # national portal simply publishes no amount (not a provincial resolution).
    if procedure.fee_counter is None and by_province and "hdnd" not in note:
        by_province = False
    if procedure.code in ABOLISHED_IN_HAI_PHONG_2027:
        extra["note"] = "Hải Phòng bãi bỏ từ 01/01/2027 (QĐ 3249/QĐ-UBND)"
    return dataclasses.replace(procedure, fee_by_province=by_province, extra=extra)


def build(csv_text: str) -> Catalogue:
    catalogue = parse_catalogue_csv(csv_text)
    return dataclasses.replace(catalogue, procedures=tuple(refine(p) for p in catalogue.procedures))


def main(argv: list[str]) -> int:
    source = Path(argv[1]) if len(argv) > 1 else DEFAULT_CSV
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUT
    catalogue = build(source.read_text(encoding="utf-8"))
    text = catalogue_to_json(catalogue)
    if parse_catalogue_json(text) != catalogue:
        raise SystemExit("the JSON does not read back to the same catalogue")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8", newline="\n")
    print(f"{out}: {len(catalogue.procedures)} procedures in {len(catalogue.fields)} fields")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
