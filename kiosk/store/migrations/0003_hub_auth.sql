-- Devices, staff and staff sessions of the office hub (kiosk/hub/auth.py).
-- Tokens are stored only as sha256 hashes; staff secrets (password or PIN) as argon2 hashes.

CREATE TABLE devices (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('kiosk', 'counter', 'display', 'rating', 'admin')),
    counter_number INTEGER CHECK (counter_number IS NULL OR counter_number >= 1),
    token_hash TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    revoked_at TEXT,
    last_seen_at TEXT,
    CHECK ((role IN ('counter', 'rating')) = (counter_number IS NOT NULL))
) STRICT;

CREATE TABLE staff (
    id INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    full_name TEXT NOT NULL,
    role TEXT NOT NULL CHECK (role IN ('clerk', 'supervisor', 'admin')),
    secret_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    failed_attempts INTEGER NOT NULL DEFAULT 0 CHECK (failed_attempts >= 0),
    locked_until TEXT,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE staff_sessions (
    token_hash TEXT PRIMARY KEY,
    staff_id INTEGER NOT NULL REFERENCES staff (id),
    device_id INTEGER NOT NULL REFERENCES devices (id),
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    ended_at TEXT
) STRICT, WITHOUT ROWID;

CREATE INDEX staff_sessions_by_device ON staff_sessions (device_id, ended_at);
