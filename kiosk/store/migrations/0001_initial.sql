-- Schema 1: the office database. Every table is STRICT; times are ISO 8601 text with offset
-- (+07:00); money is integer VND; JSON lives in TEXT columns. Applied in one transaction by
-- kiosk.store.db, which then sets PRAGMA user_version.

CREATE TABLE settings (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

-- The site id names this office in the outbox; generated once, here, so every copy of a fresh
-- database is a new site.
INSERT INTO settings (key, value) VALUES ('site_id', lower(hex(randomblob(16))));

-- Catalogue ------------------------------------------------------------------------------------

CREATE TABLE fields (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0
) STRICT;

CREATE TABLE procedures (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    field_code TEXT NOT NULL REFERENCES fields (code),
    duration_value INTEGER CHECK (duration_value IS NULL OR duration_value >= 0),
    duration_unit TEXT CHECK (
        duration_unit IS NULL OR duration_unit IN ('working_day', 'working_hour', 'calendar_day')
    ),
    duration_note TEXT NOT NULL DEFAULT '',
    same_day_cutoff TEXT CHECK (same_day_cutoff IS NULL OR same_day_cutoff GLOB '[0-2][0-9]:[0-5][0-9]'),
    fee_counter INTEGER CHECK (fee_counter IS NULL OR fee_counter >= 0),
    fee_online INTEGER CHECK (fee_online IS NULL OR fee_online >= 0),
    fee_by_province INTEGER NOT NULL DEFAULT 0 CHECK (fee_by_province IN (0, 1)),
    fee_note TEXT NOT NULL DEFAULT '',
    processing_unit TEXT NOT NULL DEFAULT '',
    source TEXT NOT NULL DEFAULT '',
    extra TEXT NOT NULL DEFAULT '{}',
    position INTEGER NOT NULL DEFAULT 0,
    CHECK ((duration_value IS NULL) = (duration_unit IS NULL))
) STRICT;

CREATE INDEX procedures_by_field ON procedures (field_code, position);

CREATE TABLE procedure_documents (
    procedure_code TEXT NOT NULL REFERENCES procedures (code) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    copy_kinds TEXT NOT NULL DEFAULT '["original"]',
    count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
    optional INTEGER NOT NULL DEFAULT 0 CHECK (optional IN (0, 1)),
    PRIMARY KEY (procedure_code, position)
) STRICT;

-- Calendar: the admin/district notices that win over the holidays package.
CREATE TABLE calendar_overrides (
    day TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9]-[0-1][0-9]-[0-3][0-9]'),
    kind TEXT NOT NULL CHECK (kind IN ('holiday', 'day_off', 'workday')),
    reason TEXT NOT NULL DEFAULT ''
) STRICT;

-- Queue (minimal; the queue engine extends these with its own migrations) ----------------------

CREATE TABLE counters (
    id INTEGER PRIMARY KEY,
    number INTEGER NOT NULL UNIQUE CHECK (number >= 1),
    name TEXT NOT NULL DEFAULT '',
    fields TEXT NOT NULL DEFAULT '[]',
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1))
) STRICT;

CREATE TABLE service_groups (
    id INTEGER PRIMARY KEY,
    prefix TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    fields TEXT NOT NULL DEFAULT '[]'
) STRICT;

-- status is left without a CHECK on purpose: the queue issue owns the ticket states.
CREATE TABLE tickets (
    id INTEGER PRIMARY KEY,
    group_id INTEGER REFERENCES service_groups (id),
    prefix TEXT NOT NULL,
    number INTEGER NOT NULL CHECK (number >= 1),
    display_number TEXT NOT NULL,
    service_day TEXT NOT NULL,
    status TEXT NOT NULL,
    priority TEXT NOT NULL DEFAULT '',
    issued_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (prefix, service_day, number)
) STRICT;

CREATE INDEX tickets_by_day_status ON tickets (service_day, status);

CREATE TABLE ticket_events (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    counter_id INTEGER REFERENCES counters (id),
    details TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, at);

-- Dossiers ---------------------------------------------------------------------------------------

-- procedure_code/procedure_name are a snapshot (no foreign key): a dossier keeps what was applied
-- for even after the catalogue is replaced. The *_folded and digits_reversed columns are search
-- keys computed by kiosk.store.dossier_repo and indexed by dossiers_fts below.
CREATE TABLE dossiers (
    id INTEGER PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    unit_code TEXT NOT NULL CHECK (length(unit_code) BETWEEN 1 AND 35),
    received_at TEXT NOT NULL,
    due_at TEXT,
    original_due_at TEXT,
    status TEXT NOT NULL CHECK (status IN (
        'received', 'refused', 'processing', 'supplement_requested', 'awaiting_fee',
        'withdrawn', 'stopped', 'done', 'returned'
    )),
    procedure_code TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    procedure_name_folded TEXT NOT NULL,
    applicant_name TEXT NOT NULL,
    applicant_name_folded TEXT NOT NULL,
    applicant_id_number TEXT NOT NULL DEFAULT '',
    applicant_id_legacy INTEGER NOT NULL DEFAULT 0 CHECK (applicant_id_legacy IN (0, 1)),
    applicant_phone TEXT NOT NULL DEFAULT '',
    applicant_email TEXT NOT NULL DEFAULT '',
    applicant_address TEXT NOT NULL DEFAULT '',
    digits_reversed TEXT NOT NULL DEFAULT '',
    sets INTEGER NOT NULL DEFAULT 1 CHECK (sets >= 1),
    channel TEXT NOT NULL DEFAULT 'counter' CHECK (channel IN ('counter', 'postal', 'online')),
    return_channel TEXT NOT NULL DEFAULT 'counter'
        CHECK (return_channel IN ('counter', 'postal', 'online')),
    fee INTEGER NOT NULL DEFAULT 0 CHECK (fee >= 0),
    ticket_id INTEGER REFERENCES tickets (id),
    register_year INTEGER NOT NULL,
    register_no INTEGER NOT NULL CHECK (register_no >= 1),
    created_by TEXT NOT NULL,
    extensions INTEGER NOT NULL DEFAULT 0 CHECK (extensions >= 0),
    supplement_requests INTEGER NOT NULL DEFAULT 0 CHECK (supplement_requests >= 0),
    result_at TEXT,
    returned_at TEXT,
    note TEXT NOT NULL DEFAULT '',
    updated_at TEXT NOT NULL,
    UNIQUE (register_year, register_no)
) STRICT;

CREATE INDEX dossiers_by_status ON dossiers (status, due_at);
CREATE INDEX dossiers_by_due_at ON dossiers (due_at);
CREATE INDEX dossiers_by_received_at ON dossiers (received_at);
CREATE INDEX dossiers_by_procedure ON dossiers (procedure_code, received_at);
-- Tier 1 of the search (the whole name as typed): kiosk.store.search.
CREATE INDEX dossiers_by_name ON dossiers (applicant_name_folded);
CREATE INDEX dossiers_by_ticket ON dossiers (ticket_id) WHERE ticket_id IS NOT NULL;

CREATE TABLE dossier_events (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
    at TEXT NOT NULL,
    status_from TEXT CHECK (status_from IS NULL OR status_from IN (
        'received', 'refused', 'processing', 'supplement_requested', 'awaiting_fee',
        'withdrawn', 'stopped', 'done', 'returned'
    )),
    status_to TEXT NOT NULL CHECK (status_to IN (
        'received', 'refused', 'processing', 'supplement_requested', 'awaiting_fee',
        'withdrawn', 'stopped', 'done', 'returned'
    )),
    action TEXT NOT NULL,
    actor TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    channel TEXT NOT NULL DEFAULT '',
    note TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX dossier_events_by_dossier ON dossier_events (dossier_id, at);
CREATE INDEX dossier_events_by_at ON dossier_events (at);

CREATE TABLE dossier_documents (
    dossier_id INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    copy_kind TEXT NOT NULL CHECK (copy_kind IN ('original', 'certified', 'photocopy')),
    count INTEGER NOT NULL DEFAULT 1 CHECK (count >= 1),
    PRIMARY KEY (dossier_id, position)
) STRICT;

-- One row per hand-over of the process control slip (form 05).
CREATE TABLE transfers (
    id INTEGER PRIMARY KEY,
    dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
    at TEXT NOT NULL,
    from_unit TEXT NOT NULL,
    to_unit TEXT NOT NULL,
    giver TEXT NOT NULL DEFAULT '',
    receiver TEXT NOT NULL DEFAULT '',
    timeliness TEXT CHECK (timeliness IS NULL OR timeliness IN ('early', 'on_time', 'late')),
    note TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX transfers_by_dossier ON transfers (dossier_id, at);

CREATE TABLE ratings (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('very_satisfied', 'satisfied', 'unsatisfied')),
    counter_id INTEGER REFERENCES counters (id),
    staff TEXT NOT NULL DEFAULT '',
    dossier_id INTEGER REFERENCES dossiers (id),
    ticket_id INTEGER REFERENCES tickets (id),
    comment TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX ratings_by_at ON ratings (at);

-- Printing ---------------------------------------------------------------------------------------

-- payload is ANY: ESC/POS bytes (BLOB) or a JSON description of a form (TEXT).
CREATE TABLE print_jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    payload ANY,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    dossier_id INTEGER REFERENCES dossiers (id),
    ticket_id INTEGER REFERENCES tickets (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX print_jobs_by_status ON print_jobs (status, created_at);

-- Outbox, audit, sequences ---------------------------------------------------------------------

-- AUTOINCREMENT: a seq is never reused after rows are deleted, or the district server would drop
-- new events as duplicates of old ones (PITFALLS.md).
CREATE TABLE outbox (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id TEXT NOT NULL,
    event_id TEXT NOT NULL UNIQUE,
    type TEXT NOT NULL,
    payload TEXT NOT NULL,
    hash TEXT NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX audit_by_at ON audit (at);
CREATE INDEX audit_by_target ON audit (target, at);

CREATE TABLE sequences (
    name TEXT NOT NULL,
    scope TEXT NOT NULL,
    value INTEGER NOT NULL CHECK (value >= 0),
    PRIMARY KEY (name, scope)
) STRICT, WITHOUT ROWID;

-- Full-text search -------------------------------------------------------------------------------

-- External content over dossiers, kept in sync by the triggers below. remove_diacritics 2 folds
-- Vietnamese tones and hats; đ is folded by the repo into the *_folded columns (the tokenizer
-- does not). The tokenizer splits codes on '.' and '-', so code parts are tokens of their own.
-- Prefix indexes for 1..6 characters (a Vietnamese syllable has at most 7 letters) let every
-- typed word be a prefix without merging posting lists at query time (bench/search.py: p99 of
-- name queries at 1,000,000 dossiers drops from ~70 ms to a few ms; the index grows ~70%).
CREATE VIRTUAL TABLE dossiers_fts USING fts5 (
    code,
    applicant_name_folded,
    applicant_phone,
    applicant_id_number,
    procedure_name_folded,
    digits_reversed,
    content = 'dossiers',
    content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '1 2 3 4 5 6'
);

CREATE TRIGGER dossiers_fts_after_insert AFTER INSERT ON dossiers BEGIN
    INSERT INTO dossiers_fts (
        rowid, code, applicant_name_folded, applicant_phone, applicant_id_number,
        procedure_name_folded, digits_reversed
    ) VALUES (
        new.id, new.code, new.applicant_name_folded, new.applicant_phone,
        new.applicant_id_number, new.procedure_name_folded, new.digits_reversed
    );
END;

CREATE TRIGGER dossiers_fts_after_delete AFTER DELETE ON dossiers BEGIN
    INSERT INTO dossiers_fts (
        dossiers_fts, rowid, code, applicant_name_folded, applicant_phone,
        applicant_id_number, procedure_name_folded, digits_reversed
    ) VALUES (
        'delete', old.id, old.code, old.applicant_name_folded, old.applicant_phone,
        old.applicant_id_number, old.procedure_name_folded, old.digits_reversed
    );
END;

-- Only changes to indexed columns touch the index: status updates stay cheap.
CREATE TRIGGER dossiers_fts_after_update AFTER UPDATE OF
    code, applicant_name_folded, applicant_phone, applicant_id_number, procedure_name_folded,
    digits_reversed
ON dossiers BEGIN
    INSERT INTO dossiers_fts (
        dossiers_fts, rowid, code, applicant_name_folded, applicant_phone,
        applicant_id_number, procedure_name_folded, digits_reversed
    ) VALUES (
        'delete', old.id, old.code, old.applicant_name_folded, old.applicant_phone,
        old.applicant_id_number, old.procedure_name_folded, old.digits_reversed
    );
    INSERT INTO dossiers_fts (
        rowid, code, applicant_name_folded, applicant_phone, applicant_id_number,
        procedure_name_folded, digits_reversed
    ) VALUES (
        new.id, new.code, new.applicant_name_folded, new.applicant_phone,
        new.applicant_id_number, new.procedure_name_folded, new.digits_reversed
    );
END;
