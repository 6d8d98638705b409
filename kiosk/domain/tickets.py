"""Queue ticket rules that are pure domain: how priority tickets are mixed into the queue.

The one `PriorityMode` of the product: the settings (`kiosk.config`) store it, the queue engine
(`kiosk.queue`) applies it.
"""

from __future__ import annotations

from enum import StrEnum


class PriorityMode(StrEnum):
    """strict: a waiting priority ticket always goes first; interleaved: one every N."""

    STRICT = "strict"
    INTERLEAVED = "interleaved"
