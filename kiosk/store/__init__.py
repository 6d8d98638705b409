"""The office store: SQLite via sqlite-utils, migrations, write transactions, FTS, backups.

Public face: `Store` (open, `write`), `WriteTx`, and the repos in their own modules
(`catalogue_repo`, `calendar_repo`, `dossier_repo` and `dossier_forms_repo`, `ticket_repo`,
`search`, `sequences`, `backup`; `rows` maps rows by column name).
"""

from __future__ import annotations

from kiosk.store.db import SCHEMA_VERSION, Store
from kiosk.store.tx import WriteTx, canonical_json, event_hash, to_iso

__all__ = ["SCHEMA_VERSION", "Store", "WriteTx", "canonical_json", "event_hash", "to_iso"]
