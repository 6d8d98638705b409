-- Schema 2: the queue engine (kiosk/queue). Extends the minimal queue tables of 0001 in place:
-- tickets, counters and service_groups are parents of foreign keys in other tables (dossiers,
-- ratings, print_jobs), so they gain columns rather than being rebuilt; ticket_events has no
-- children and is rebuilt with an AUTOINCREMENT id, the event id of the hub's stream.

-- Service groups -------------------------------------------------------------------------------

ALTER TABLE service_groups ADD COLUMN number_width INTEGER NOT NULL DEFAULT 3
    CHECK (number_width BETWEEN 1 AND 6);
ALTER TABLE service_groups ADD COLUMN position INTEGER NOT NULL DEFAULT 0;
-- 0: no longer in the configuration; kept because old tickets point to it.
ALTER TABLE service_groups ADD COLUMN active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1));

-- Counters ---------------------------------------------------------------------------------------

-- counters.active (0001) means "in the configuration"; is_open means staffed right now.
ALTER TABLE counters ADD COLUMN is_open INTEGER NOT NULL DEFAULT 1 CHECK (is_open IN (0, 1));

-- The groups a counter serves, in the order it serves them.
CREATE TABLE counter_groups (
    counter_id INTEGER NOT NULL REFERENCES counters (id) ON DELETE CASCADE,
    position INTEGER NOT NULL CHECK (position >= 0),
    group_id INTEGER NOT NULL REFERENCES service_groups (id),
    PRIMARY KEY (counter_id, position),
    UNIQUE (counter_id, group_id)
) STRICT;

CREATE INDEX counter_groups_by_group ON counter_groups (group_id);

-- Tickets ----------------------------------------------------------------------------------------

ALTER TABLE tickets ADD COLUMN called_at TEXT;
ALTER TABLE tickets ADD COLUMN first_called_at TEXT;
ALTER TABLE tickets ADD COLUMN serving_at TEXT;
ALTER TABLE tickets ADD COLUMN finished_at TEXT;
ALTER TABLE tickets ADD COLUMN counter_number INTEGER REFERENCES counters (number);
ALTER TABLE tickets ADD COLUMN recalls INTEGER NOT NULL DEFAULT 0 CHECK (recalls >= 0);
ALTER TABLE tickets ADD COLUMN outcome TEXT CHECK (
    outcome IS NULL OR outcome IN ('guided', 'received', 'supplement_requested', 'refused')
);
ALTER TABLE tickets ADD COLUMN note TEXT NOT NULL DEFAULT '';
-- A waiting ticket sent to one counter (transfer to a counter, or coming back).
ALTER TABLE tickets ADD COLUMN assigned_counter INTEGER REFERENCES counters (number);
-- Transfer with "come back here after": where the ticket returns once the other side finishes.
ALTER TABLE tickets ADD COLUMN return_to_counter INTEGER REFERENCES counters (number);
ALTER TABLE tickets ADD COLUMN return_group_id INTEGER REFERENCES service_groups (id);

-- status and priority had no CHECK in 0001 and a column's CHECK cannot be added by ALTER TABLE:
-- triggers hold the same rule.
CREATE TRIGGER tickets_check_insert BEFORE INSERT ON tickets
WHEN NEW.status NOT IN (
        'waiting', 'called', 'serving', 'on_hold', 'done', 'no_show', 'cancelled'
    )
    OR NEW.priority NOT IN ('', 'elderly', 'disability', 'pregnant_or_small_child', 'merit')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: tickets status or priority');
END;

CREATE TRIGGER tickets_check_update BEFORE UPDATE OF status, priority ON tickets
WHEN NEW.status NOT IN (
        'waiting', 'called', 'serving', 'on_hold', 'done', 'no_show', 'cancelled'
    )
    OR NEW.priority NOT IN ('', 'elderly', 'disability', 'pregnant_or_small_child', 'merit')
BEGIN
    SELECT RAISE(ABORT, 'CHECK constraint failed: tickets status or priority');
END;

-- The last line of defence against two counters holding one ticket or one counter holding two.
CREATE UNIQUE INDEX tickets_one_per_counter ON tickets (counter_number)
    WHERE status IN ('called', 'serving');
-- The waiting lists in issue order (the id), per day, group and priority: call_next seeks the
-- oldest regular ('') and the oldest priority ticket of a group without scanning the list.
CREATE INDEX tickets_waiting ON tickets (service_day, group_id, priority, id)
    WHERE status = 'waiting';
CREATE INDEX tickets_waiting_assigned ON tickets (assigned_counter, id)
    WHERE status = 'waiting' AND assigned_counter IS NOT NULL;
-- Tickets not yet final, to close those of past days.
CREATE INDEX tickets_open ON tickets (service_day)
    WHERE status IN ('waiting', 'called', 'serving', 'on_hold');

-- Ticket events: one row per state change, written in the same transaction as the change ----------

CREATE TABLE ticket_events_new (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ticket_id INTEGER REFERENCES tickets (id),
    at TEXT NOT NULL,
    kind TEXT NOT NULL,
    actor TEXT NOT NULL DEFAULT '',
    counter_number INTEGER,
    details TEXT NOT NULL DEFAULT '{}',
    -- The ticket right after the change (JSON, kiosk.queue.models.Ticket), so a replayed event
    -- shows what happened then, not the ticket's present state.
    ticket_state TEXT
) STRICT;

INSERT INTO ticket_events_new (id, ticket_id, at, kind, actor, counter_number, details)
SELECT e.id, e.ticket_id, e.at, e.kind, e.actor, c.number, e.details
FROM ticket_events AS e LEFT JOIN counters AS c ON c.id = e.counter_id;

DROP TABLE ticket_events;
ALTER TABLE ticket_events_new RENAME TO ticket_events;

CREATE INDEX ticket_events_by_ticket ON ticket_events (ticket_id, at);
CREATE INDEX ticket_events_by_kind ON ticket_events (kind, id);

-- One row per finished service (a ticket served twice after a transfer has two): the
-- durations behind the waiting-time estimate and the service-time statistics.
CREATE TABLE ticket_services (
    id INTEGER PRIMARY KEY,
    ticket_id INTEGER NOT NULL REFERENCES tickets (id),
    group_id INTEGER NOT NULL REFERENCES service_groups (id),
    counter_number INTEGER NOT NULL,
    service_day TEXT NOT NULL,
    called_at TEXT NOT NULL,
    serving_at TEXT,
    finished_at TEXT NOT NULL,
    seconds INTEGER NOT NULL CHECK (seconds >= 0),
    outcome TEXT NOT NULL CHECK (
        outcome IN ('guided', 'received', 'supplement_requested', 'refused')
    ),
    dossier_code TEXT,
    actor TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE INDEX ticket_services_by_group_day ON ticket_services (group_id, service_day, id);

-- Interleaved priority: regular calls of a group since its last priority call, per service day
-- (no row: no priority call yet that day). See kiosk/queue/priority.py.
CREATE TABLE priority_streaks (
    group_id INTEGER NOT NULL REFERENCES service_groups (id),
    service_day TEXT NOT NULL,
    regular_calls INTEGER NOT NULL CHECK (regular_calls >= 0),
    PRIMARY KEY (group_id, service_day)
) STRICT, WITHOUT ROWID;

-- Daily limit of tickets per citizen: only a salted hash of (day, ID number) is kept, never the
-- number, and the hash is not linked to the tickets.
CREATE TABLE citizen_daily_tickets (
    service_day TEXT NOT NULL,
    citizen_hash TEXT NOT NULL,
    tickets INTEGER NOT NULL CHECK (tickets >= 1),
    PRIMARY KEY (service_day, citizen_hash)
) STRICT, WITHOUT ROWID;

INSERT INTO settings (key, value) VALUES ('citizen_hash_salt', lower(hex(randomblob(32))));
