-- A counter PC's own file (counter-N-prints.db): its print jobs and their audit, nothing of the
-- office. The counter console talks to the hub over HTTP; no dossier, ticket or staff row is here.
-- application_id tells this file from an office database (0x4B504A31, "KPJ1").
PRAGMA application_id = 1263553073;

CREATE TABLE print_jobs (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    device TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    payload ANY,
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    -- Ids of the hub's rows, kept as plain numbers: they live in another database.
    dossier_id INTEGER,
    ticket_id INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
) STRICT;

CREATE INDEX print_jobs_by_status ON print_jobs (status, created_at);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL DEFAULT '',
    details TEXT NOT NULL DEFAULT '{}'
) STRICT;

CREATE INDEX audit_by_at ON audit (at);
