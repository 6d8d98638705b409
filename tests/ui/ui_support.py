"""What the UI tests share besides fixtures (a module of its own: every conftest.py is named
"conftest", so importing from one by name depends on collection order)."""

from __future__ import annotations

from dataclasses import dataclass

from hubproc import HubProcess

from kiosk.hub.client import HubClient


@dataclass
class Screens:
    hub: HubProcess
    tokens: dict[str, str]
    counter: HubClient  # counter 1, staff logged in

    def client(self, name: str) -> HubClient:
        return self.hub.client(self.tokens[name])
