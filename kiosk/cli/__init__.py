"""The `kiosk` command: every entry point of the product.

One module per command family, each adding its commands to the root group `cli`
(`root.py`, with the global options and the shared helpers):

- `office.py`: `init`, `demo`, `settings`, `backup`, `restore`
- `records.py`: `catalog`, `calendar`, `dossiers`
- `printing.py`: `print-test`, `selfcheck`
- `hub.py`: `serve`, `devices`, `staff`
- `screens.py`: `run`, `screenshots`
- `sync.py`: `sync`; `district` comes from `kiosk.district.cli`

A new command goes in the module of its family (or a new one imported below), and in
`docs/cli.md` (`tests/test_cli.py` checks that every command is listed there).
"""

from __future__ import annotations

from collections.abc import Sequence

from kiosk.cli import hub, office, printing, records, screens, sync
from kiosk.cli.root import cli
from kiosk.cli.screens import admin_token
from kiosk.district.cli import district

cli.add_command(district)

__all__ = ["admin_token", "cli", "main"]

#: The command families, imported for the commands they add to `cli`.
FAMILIES = (hub, office, printing, records, screens, sync)


def main(argv: Sequence[str] | None = None) -> None:
    """Console-script entry point."""
    cli.main(args=list(argv) if argv is not None else None, prog_name="kiosk")
