"""Every word the office can say, as clip keys with their text.

A clip key is the name of a WAV file in a clip set (`assets/sounds/vi/<key>.wav`), so an office
that records its own voice knows exactly which files to make. The text is what the clip says; it
is also what the system voice (engine 2) is given.
"""

from __future__ import annotations

from typing import Final

CHIME: Final = "chime"
CALL: Final = "moi-cong-dan"
TO_COUNTER: Final = "den-quay-so"
#: "Mời lần thứ hai / ba / tư …": a recall says which time it is; later ones say "lần nữa".
RECALLS: Final = ("moi-lan-thu-hai", "moi-lan-thu-ba", "moi-lan-thu-tu")
RECALL_AGAIN: Final = "moi-lan-nua"

DIGITS: Final = tuple(f"so-{d}" for d in range(10))
#: The number words besides the digits (see `numbers.py` for when each is said).
TEN: Final = "muoi"  # mười (10–19)
TENS: Final = "muoi-x"  # mươi (20–99)
ONE_AFTER_TENS: Final = "mot-x"  # mốt (21, 31, …)
FIVE_AFTER_TEN: Final = "lam"  # lăm (15, 25, …)
HUNDRED: Final = "tram"
ZERO_TENS_NORTH: Final = "linh"
ZERO_TENS_SOUTH: Final = "le"
THOUSAND_NORTH: Final = "nghin"
THOUSAND_SOUTH: Final = "ngan"

#: Vietnamese names of the letters a ticket prefix may use.
LETTER_NAMES: Final = {
    "A": "a",
    "B": "bê",
    "C": "xê",
    "D": "dê",
    "E": "e",
    "F": "ép",
    "G": "giê",
    "H": "hát",
    "I": "i",
    "J": "gi",
    "K": "ca",
    "L": "e lờ",
    "M": "em mờ",
    "N": "en nờ",
    "O": "o",
    "P": "pê",
    "Q": "quy",
    "R": "e rờ",
    "S": "ét xì",
    "T": "tê",
    "U": "u",
    "V": "vê",
    "W": "vê kép",
    "X": "ích xì",
    "Y": "i dài",
    "Z": "dét",
}


def letter_key(letter: str) -> str:
    """The clip key of a prefix letter: `chu-a` … `chu-z`."""
    return f"chu-{letter.lower()}"


#: The second language line (English): "Number A 0 2 3, counter 3".
EN_NUMBER: Final = "en-number"
EN_COUNTER: Final = "en-counter"
EN_DIGITS: Final = tuple(f"en-{d}" for d in range(10))


def en_letter_key(letter: str) -> str:
    return f"en-{letter.lower()}"


_DIGIT_WORDS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
_EN_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")

#: key -> (language, text): the complete clip set. `scripts/make_voice_clips.py` renders it.
CLIP_TEXTS: Final[dict[str, tuple[str, str]]] = {
    CALL: ("vi", "Mời công dân có số thứ tự"),
    RECALLS[0]: ("vi", "Mời lần thứ hai, công dân có số thứ tự"),
    RECALLS[1]: ("vi", "Mời lần thứ ba, công dân có số thứ tự"),
    RECALLS[2]: ("vi", "Mời lần thứ tư, công dân có số thứ tự"),
    RECALL_AGAIN: ("vi", "Mời lần nữa, công dân có số thứ tự"),
    TO_COUNTER: ("vi", "đến quầy số"),
    **{key: ("vi", word) for key, word in zip(DIGITS, _DIGIT_WORDS, strict=True)},
    TEN: ("vi", "mười"),
    TENS: ("vi", "mươi"),
    ONE_AFTER_TENS: ("vi", "mốt"),
    FIVE_AFTER_TEN: ("vi", "lăm"),
    HUNDRED: ("vi", "trăm"),
    ZERO_TENS_NORTH: ("vi", "linh"),
    ZERO_TENS_SOUTH: ("vi", "lẻ"),
    THOUSAND_NORTH: ("vi", "nghìn"),
    THOUSAND_SOUTH: ("vi", "ngàn"),
    **{letter_key(letter): ("vi", name) for letter, name in LETTER_NAMES.items()},
    EN_NUMBER: ("en", "Number"),
    EN_COUNTER: ("en", "please go to counter"),
    **{key: ("en", word) for key, word in zip(EN_DIGITS, _EN_DIGIT_WORDS, strict=True)},
    **{en_letter_key(letter): ("en", letter) for letter in LETTER_NAMES},
}

#: Every clip a complete set has: the words above and the chime (a tone, not speech).
ALL_CLIPS: Final = (CHIME, *CLIP_TEXTS)


def text_of(key: str) -> str:
    """What a clip says (the chime says nothing)."""
    return "" if key == CHIME else CLIP_TEXTS[key][1]
