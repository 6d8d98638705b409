"""The phrase of a call: "Mời công dân có số thứ tự A 0 2 3 đến quầy số 3".

Built from the ticket number and the counter only, never from anything about the citizen.
"""

from __future__ import annotations

import re

from kiosk.domain.errors import ValidationError
from kiosk.domain.voice import NumberReading, VoiceStyle
from kiosk.voice import words as w
from kiosk.voice.numbers import digit_keys, number_keys


class VoiceError(ValidationError):
    """A call that cannot be spoken (a malformed ticket number): its message is Vietnamese."""

    code = "voice_error"


_TICKET = re.compile(r"(?P<prefix>[A-Z]{0,2})(?P<digits>[0-9]{1,6})")


#: The office default: a chime, the number digit by digit, northern words, Vietnamese only.
PLAIN = VoiceStyle()


def split_ticket(number: str) -> tuple[str, str]:
    """ "A023" -> ("A", "023"); letters are the group prefix, digits the ticket's own number."""
    found = _TICKET.fullmatch(number.strip().upper())
    if found is None:
        raise VoiceError(
            f"Số thứ tự không đọc được: {number!r} (cần chữ cái nhóm rồi chữ số, ví dụ A023)."
        )
    return found["prefix"], found["digits"]


def _opening(recall: int) -> str:
    if recall <= 0:
        return w.CALL
    if recall <= len(w.RECALLS):
        return w.RECALLS[recall - 1]
    return w.RECALL_AGAIN


def call_clips(
    number: str,
    counter: int,
    *,
    recall: int = 0,
    style: VoiceStyle = PLAIN,
    field_clip: str | None = None,
) -> list[str]:
    """The clip keys of one call, in order. `recall` is how many times it was called before;
    `field_clip` an optional clip naming the field (lĩnh vực), said after the number."""
    prefix, digits = split_ticket(number)
    if not 1 <= counter <= 999:
        raise VoiceError(f"Số quầy không đọc được: {counter}.")
    if style.reading is NumberReading.DIGITS:
        number_words = digit_keys(digits)
    else:
        number_words = number_keys(int(digits), style.region)
    clips = [w.CHIME] if style.chime else []
    clips += [_opening(recall), *(w.letter_key(c) for c in prefix), *number_words]
    if field_clip:
        clips.append(field_clip)
    clips += [w.TO_COUNTER, *number_keys(counter, style.region)]
    if style.second_language:
        clips += [w.EN_NUMBER, *(w.en_letter_key(c) for c in prefix)]
        clips += [w.EN_DIGITS[int(d)] for d in digits]
        clips += [w.EN_COUNTER, *(w.EN_DIGITS[int(d)] for d in str(counter))]
    return clips


def call_text(number: str, counter: int, *, recall: int = 0, style: VoiceStyle = PLAIN) -> str:
    """The call as one Vietnamese sentence (for the system voice, the log and the screen)."""
    spoken = VoiceStyle(style.reading, style.region, chime=False, second_language=False)
    keys = call_clips(number, counter, recall=recall, style=spoken)
    text = " ".join(w.text_of(k) for k in keys)
    return text[0].upper() + text[1:]
