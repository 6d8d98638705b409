"""The bundle's entry point (PyInstaller needs a script): the same `kiosk` command."""

from kiosk.cli import main

if __name__ == "__main__":
    main()
