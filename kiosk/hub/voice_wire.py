"""The voice's answers: the office's `[voice]` facts and its clip set as the admin sees it
(`GET /api/admin/voice/clips`); part of `kiosk.hub.wire`, which names them `wire.OfficeVoice`,
`wire.VoiceClip` and `wire.VoiceClips`."""

from __future__ import annotations

from typing import Literal

from typing_extensions import TypedDict

ClipSourceName = Literal["office", "shipped", "missing"]


class OfficeVoice(TypedDict):
    """How the office calls a number aloud (the `[voice]` settings)."""

    enabled: bool
    engine: str
    reading: str
    region: str
    chime: bool
    english: bool
    repeat: int


class VoiceClip(TypedDict):
    """One clip of the set: its file name's key, what it says, whose recording is used."""

    key: str
    language: str
    text: str
    #: "office": the office's own recording; "shipped": the default set's; "missing": neither.
    source: ClipSourceName
    seconds: float


class VoiceClips(TypedDict):
    clips: list[VoiceClip]
    #: Every missing or unusable clip, in Vietnamese (empty when the set is complete).
    problems: list[str]
