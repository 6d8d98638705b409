"""How an office calls citizens aloud: the settings of the voice (`[voice]` in the settings file).

The phrase itself is built in `kiosk/voice/`; these are the choices an office makes.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class NumberReading(StrEnum):
    """A ticket number read digit by digit ("không hai ba") or as a number ("hai mươi ba")."""

    DIGITS = "digits"
    NUMBER = "number"


class Region(StrEnum):
    """Northern "linh" and "nghìn", or southern "lẻ" and "ngàn"."""

    NORTH = "north"
    SOUTH = "south"


class VoiceEngine(StrEnum):
    """Recorded clips (the default, works anywhere) or the system's Vietnamese voice."""

    CLIPS = "clips"
    SYSTEM = "system"


@dataclass(frozen=True)
class VoiceStyle:
    """What a call says."""

    reading: NumberReading = NumberReading.DIGITS
    region: Region = Region.NORTH
    chime: bool = True
    #: The English line after the Vietnamese one ("Number A 0 2 3, please go to counter 3").
    second_language: bool = False
