-- Schema 5: the printers of each device, set from the admin screen, and the print tests the
-- admin asks a device to run (kiosk/hub/device_routes.py).
--
-- A kiosk has a ticket printer; a counter PC a form printer (A4/A5, pdf: or os:) and optionally a
-- thermal receipt printer. Paper width and profile are options of the thermal URI itself
-- (`?paper=58`, `?profile=TM-T88V`), parsed by kiosk/printing/thermal/connections.py, so they
-- need no columns of their own.

CREATE TABLE device_printers (
    device_id INTEGER NOT NULL REFERENCES devices (id),
    kind TEXT NOT NULL CHECK (kind IN ('ticket', 'receipt', 'form')),
    uri TEXT NOT NULL CHECK (length(uri) BETWEEN 1 AND 500),
    updated_at TEXT NOT NULL,
    PRIMARY KEY (device_id, kind)
) STRICT, WITHOUT ROWID;

-- One row per "In thử" pressed in the admin screen: pending until the device reports back.
-- `printer` is what the device actually printed on (its local override, if it has one).
CREATE TABLE print_tests (
    id INTEGER PRIMARY KEY,
    device_id INTEGER NOT NULL REFERENCES devices (id),
    kind TEXT NOT NULL CHECK (kind IN ('ticket', 'receipt', 'form')),
    requested_at TEXT NOT NULL,
    requested_by TEXT NOT NULL,
    finished_at TEXT,
    ok INTEGER CHECK (ok IS NULL OR ok IN (0, 1)),
    message TEXT NOT NULL DEFAULT '',
    printer TEXT NOT NULL DEFAULT '',
    printer_status TEXT CHECK (printer_status IS NULL OR json_valid(printer_status)),
    CHECK ((finished_at IS NULL) = (ok IS NULL))
) STRICT;

CREATE INDEX print_tests_by_device ON print_tests (device_id, id);
