"""Shared test setup: no display, no user folders touched, no server outliving its test."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# No server a test starts outlives it (tests/serverproc.py is also a pytest plugin).
from serverproc import no_server_outlives_its_test, pytest_sessionfinish  # noqa: F401

# Property tests and the API fuzzer explore new inputs on every local run; CI (`.ci/run` sets
# KIOSK_HYPOTHESIS_PROFILE=ci) replays a fixed sequence, so a landing is never decided by the
# draw. A failure found locally prints the input that reproduces it.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("KIOSK_HYPOTHESIS_PROFILE", "default"))

# Must be set before PySide6 is imported anywhere (PITFALLS.md).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test gets its own office folder, so nothing leaks into the real user's folders."""
    root = tmp_path_factory.mktemp("office")
    old = os.environ.get("KIOSK_DATA_DIR")
    os.environ["KIOSK_DATA_DIR"] = str(root)
    try:
        yield root
    finally:
        if old is None:
            os.environ.pop("KIOSK_DATA_DIR", None)
        else:
            os.environ["KIOSK_DATA_DIR"] = old
