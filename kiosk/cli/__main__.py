"""`python -m kiosk.cli`, as `python -m kiosk`."""

import sys

from kiosk.cli import main

if __name__ == "__main__":  # pragma: no cover
    main(sys.argv[1:])
