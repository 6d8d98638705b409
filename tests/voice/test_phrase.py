"""The words of a call: Vietnamese numbers, letters, recalls, and never anything about a person."""

from __future__ import annotations

import pytest

from kiosk.domain.voice import NumberReading, Region, VoiceStyle
from kiosk.voice import words
from kiosk.voice.numbers import number_keys
from kiosk.voice.phrase import VoiceError, call_clips, call_text


def spoken(n: int, region: Region = Region.NORTH) -> str:
    return " ".join(words.text_of(k) for k in number_keys(n, region))


# Written out by hand from the rules of Vietnamese number reading (not from the code).
NORTH = {
    0: "không",
    5: "năm",
    10: "mười",
    11: "mười một",
    14: "mười bốn",
    15: "mười lăm",
    20: "hai mươi",
    21: "hai mươi mốt",
    23: "hai mươi ba",
    25: "hai mươi lăm",
    55: "năm mươi lăm",
    99: "chín mươi chín",
    100: "một trăm",
    101: "một trăm linh một",
    105: "một trăm linh năm",
    110: "một trăm mười",
    111: "một trăm mười một",
    115: "một trăm mười lăm",
    121: "một trăm hai mươi mốt",
    999: "chín trăm chín mươi chín",
    1000: "một nghìn",
    1005: "một nghìn không trăm linh năm",
    1023: "một nghìn không trăm hai mươi ba",
    1100: "một nghìn một trăm",
    2015: "hai nghìn không trăm mười lăm",
    10000: "mười nghìn",
    21001: "hai mươi mốt nghìn không trăm linh một",
}


@pytest.mark.parametrize(("n", "expected"), sorted(NORTH.items()))
def test_numbers_are_read_as_a_northern_speaker_reads_them(n: int, expected: str) -> None:
    assert spoken(n) == expected


@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (105, "một trăm lẻ năm"),
        (101, "một trăm lẻ một"),
        (1023, "một ngàn không trăm hai mươi ba"),
        (25, "hai mươi lăm"),
    ],
)
def test_the_southern_reading_says_le_and_ngan(n: int, expected: str) -> None:
    assert spoken(n, Region.SOUTH) == expected


def test_numbers_out_of_range_are_refused() -> None:
    with pytest.raises(ValueError):
        number_keys(-1)
    with pytest.raises(ValueError):
        number_keys(1_000_000)


@pytest.mark.parametrize(
    ("ticket", "counter", "expected"),
    [
        ("A001", 3, "Mời công dân có số thứ tự a không không một đến quầy số ba"),
        ("A023", 3, "Mời công dân có số thứ tự a không hai ba đến quầy số ba"),
        ("B105", 12, "Mời công dân có số thứ tự bê một không năm đến quầy số mười hai"),
        ("C999", 1, "Mời công dân có số thứ tự xê chín chín chín đến quầy số một"),
        ("1023", 21, "Mời công dân có số thứ tự một không hai ba đến quầy số hai mươi mốt"),
        ("AB007", 5, "Mời công dân có số thứ tự a bê không không bảy đến quầy số năm"),
    ],
)
def test_a_call_reads_the_number_digit_by_digit_by_default(
    ticket: str, counter: int, expected: str
) -> None:
    assert call_text(ticket, counter) == expected


def test_a_call_can_read_the_number_as_a_vietnamese_number() -> None:
    style = VoiceStyle(reading=NumberReading.NUMBER)
    assert call_text("B105", 3, style=style) == (
        "Mời công dân có số thứ tự bê một trăm linh năm đến quầy số ba"
    )
    south = VoiceStyle(reading=NumberReading.NUMBER, region=Region.SOUTH)
    assert call_text("B105", 3, style=south) == (
        "Mời công dân có số thứ tự bê một trăm lẻ năm đến quầy số ba"
    )


def test_recalls_say_which_time_it_is() -> None:
    assert call_text("A023", 3, recall=1).startswith("Mời lần thứ hai, công dân có số thứ tự a")
    assert call_text("A023", 3, recall=2).startswith("Mời lần thứ ba,")
    assert call_text("A023", 3, recall=3).startswith("Mời lần thứ tư,")
    assert call_text("A023", 3, recall=7).startswith("Mời lần nữa,")


def test_the_clips_start_with_the_chime_and_add_the_english_line_when_asked() -> None:
    clips = call_clips("A023", 3, style=VoiceStyle(second_language=True))
    assert clips[0] == words.CHIME
    english = clips[clips.index(words.EN_NUMBER) :]
    assert english == ["en-number", "en-a", "en-0", "en-2", "en-3", "en-counter", "en-3"]
    assert words.CHIME not in call_clips("A023", 3, style=VoiceStyle(chime=False))


def test_an_optional_field_clip_is_said_after_the_number() -> None:
    clips = call_clips("A023", 3, field_clip="linh-vuc-ho-tich", style=VoiceStyle(chime=False))
    assert clips.index("linh-vuc-ho-tich") == clips.index(words.TO_COUNTER) - 1


@pytest.mark.parametrize(
    "bad", ["", "A", "ABC12", "Đ007", "A-023", "Nguyễn Văn A", "A1234567", "A02 3"]
)
def test_anything_but_a_ticket_number_is_refused_with_a_vietnamese_reason(bad: str) -> None:
    with pytest.raises(VoiceError, match="Số thứ tự không đọc được"):
        call_clips(bad, 3)


@pytest.mark.parametrize("counter", [0, -1, 1000])
def test_counter_numbers_out_of_range_are_refused(counter: int) -> None:
    with pytest.raises(VoiceError, match="Số quầy"):
        call_clips("A001", counter)


def test_every_word_a_call_can_use_has_a_clip_in_the_set() -> None:
    used: set[str] = set()
    for style in (
        VoiceStyle(reading=r, region=g, second_language=True) for r in NumberReading for g in Region
    ):
        for prefix in [*words.LETTER_NAMES, ""]:
            for n in (0, 1, 5, 10, 15, 21, 101, 105, 999, 1005, 99999):
                for recall in range(5):
                    used.update(
                        call_clips(f"{prefix}{n:03d}", n % 999 + 1, recall=recall, style=style)
                    )
    assert used <= set(words.ALL_CLIPS), sorted(used - set(words.ALL_CLIPS))
