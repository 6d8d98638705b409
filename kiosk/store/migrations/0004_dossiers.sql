-- Schema 4: the counter workflow of kiosk/dossiers. Dossiers gain what the service needs to
-- recompute due dates and show where a dossier is; the records of forms 02, 03 and 04 get their
-- own tables (a supplement or a refusal at the counter has no dossier, only a ticket); client
-- request ids make retried requests idempotent.

-- Dossiers ---------------------------------------------------------------------------------------

-- The procedure's time limit when received (a snapshot like procedure_name): a supplement
-- restart recomputes the due date with the limit that was promised, even if the catalogue changed.
ALTER TABLE dossiers ADD COLUMN duration_value INTEGER CHECK (duration_value IS NULL OR duration_value >= 0);
ALTER TABLE dossiers ADD COLUMN duration_unit TEXT CHECK (
    duration_unit IS NULL OR duration_unit IN ('working_day', 'working_hour', 'calendar_day')
);
ALTER TABLE dossiers ADD COLUMN same_day_cutoff TEXT;
-- The unit holding the dossier now (reception, then each processing unit of form 05).
ALTER TABLE dossiers ADD COLUMN current_unit TEXT NOT NULL DEFAULT '';
-- The counter that received it (ratings, statistics per counter).
ALTER TABLE dossiers ADD COLUMN counter_number INTEGER;
-- Done before the due day: the applicant is told the result is ready early.
ALTER TABLE dossiers ADD COLUMN early_return_notice INTEGER NOT NULL DEFAULT 0
    CHECK (early_return_notice IN (0, 1));
-- Who collected the result (returned at the counter), as written on the register.
ALTER TABLE dossiers ADD COLUMN returned_to TEXT NOT NULL DEFAULT '';

CREATE INDEX dossiers_open_by_due ON dossiers (due_at)
    WHERE status IN ('received', 'processing', 'awaiting_fee');

-- Client request ids ------------------------------------------------------------------------------

-- A counter retrying a request after a timeout sends the same id: the hub answers with what the
-- first one did. `fingerprint` is the sha256 of the request, so an id reused for something else
-- is refused instead of being merged.
CREATE TABLE dossier_requests (
    request_id TEXT PRIMARY KEY CHECK (length(request_id) BETWEEN 8 AND 100),
    kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    actor TEXT NOT NULL,
    dossier_id INTEGER REFERENCES dossiers (id),
    record_id INTEGER,
    created_at TEXT NOT NULL
) STRICT, WITHOUT ROWID;

-- Form 02: supplement requests, at the counter (no dossier yet) or after review ----------------

CREATE TABLE supplement_requests (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    stage TEXT NOT NULL CHECK (stage IN ('counter', 'review')),
    dossier_id INTEGER REFERENCES dossiers (id),
    ticket_id INTEGER REFERENCES tickets (id),
    counter_number INTEGER,
    requested_at TEXT NOT NULL,
    actor TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    procedure_code TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    applicant_name TEXT NOT NULL DEFAULT '',
    applicant_phone TEXT NOT NULL DEFAULT '',
    applicant_email TEXT NOT NULL DEFAULT '',
    applicant_address TEXT NOT NULL DEFAULT '',
    -- JSON list of {"name", "detail"}: everything missing, in one go ("một lần đầy đủ").
    items TEXT NOT NULL,
    reason TEXT NOT NULL,
    -- The n-th request on this dossier; more than one counts it late in the service index.
    ordinal INTEGER NOT NULL DEFAULT 1 CHECK (ordinal >= 1),
    -- Asked within 3 working days of receipt (0: late, accepted on the record).
    within_limit INTEGER NOT NULL DEFAULT 1 CHECK (within_limit IN (0, 1)),
    resume_to TEXT CHECK (resume_to IS NULL OR resume_to IN ('received', 'processing')),
    due_at_before TEXT,
    resumed_at TEXT,
    due_at_after TEXT,
    CHECK ((stage = 'counter') = (dossier_id IS NULL))
) STRICT;

CREATE INDEX supplement_requests_by_dossier ON supplement_requests (dossier_id, requested_at);
CREATE INDEX supplement_requests_by_ticket ON supplement_requests (ticket_id)
    WHERE ticket_id IS NOT NULL;
CREATE INDEX supplement_requests_by_at ON supplement_requests (requested_at);

-- Form 03: refusals at the counter ---------------------------------------------------------------

CREATE TABLE refusals (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets (id),
    counter_number INTEGER,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    unit TEXT NOT NULL DEFAULT '',
    procedure_code TEXT NOT NULL,
    procedure_name TEXT NOT NULL,
    applicant_name TEXT NOT NULL DEFAULT '',
    applicant_phone TEXT NOT NULL DEFAULT '',
    applicant_email TEXT NOT NULL DEFAULT '',
    applicant_address TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL CHECK (length(reason) >= 1)
) STRICT;

CREATE INDEX refusals_by_at ON refusals (at);
CREATE INDEX refusals_by_ticket ON refusals (ticket_id) WHERE ticket_id IS NOT NULL;

-- Form 04: the one extension of a dossier, with its apology ----------------------------------------

CREATE TABLE extensions (
    id INTEGER PRIMARY KEY,
    number TEXT NOT NULL,
    dossier_id INTEGER NOT NULL REFERENCES dossiers (id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (length(reason) >= 1),
    due_at_before TEXT NOT NULL,
    new_due_at TEXT NOT NULL
) STRICT;

CREATE INDEX extensions_by_dossier ON extensions (dossier_id);

CREATE INDEX ratings_by_dossier ON ratings (dossier_id) WHERE dossier_id IS NOT NULL;
