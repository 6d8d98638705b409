"""Values a person types at the counter or the kiosk: citizen ID, phone, e-mail, name.

Every function takes the raw string, cleans it (`text.clean`: NFC, whitespace collapsed) and
returns the one normalised form we store, or raises a typed `ValidationError` whose Vietnamese
message names the problem.

Citizen ID (số định danh cá nhân / CCCD), Nghị định 137/2015 Art. 13 and Thông tư 07/2016/TT-BCA
Art. 7 (codes kept by Thông tư 59/2021/TT-BCA), 12 digits:
  - digits 1–3: the province where the birth was registered (`PROVINCE_CODES`, the 63 codes in
    use before the 2025 merger of provinces; numbers already issued keep them);
  - digit 4: century of birth and gender: 0/1 = 20th century (1900–1999) male/female,
    2/3 = 21st (2000–2099), 4/5 = 22nd, 6/7 = 23rd, 8/9 = 24th (2300–2399);
  - digits 5–6: the last two digits of the birth year;
  - digits 7–12: random; there is no checksum.
The old 9-digit CMND carries no structure we can check and is accepted only as "legacy".
The circular also allows a country code for a birth registered abroad; such numbers are refused
unless the caller passes `allow_unknown_province=True` (a staff override).

Mobile numbers: since the 2018 move from 11 to 10 digits every Vietnamese mobile number is
0 + 9 digits, the two digits after the 0 naming the network (`MOBILE_PREFIXES`):
  Viettel 32–39, 86, 96–98; VinaPhone 81–85, 88, 91, 94; MobiFone 70, 76–79, 89, 90, 93;
  Vietnamobile 52, 56, 58, 92; Gmobile 59, 99; Reddi 55; iTel 87.
  095 (the defunct S-Fone) is not assigned to any network today and is refused.
Landlines (02x) and short service numbers (1800/1900) are refused with their own message.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Final

from kiosk.domain.errors import InvalidCitizenId, InvalidEmail, InvalidPhone, ValidationError
from kiosk.domain.text import clean

# ---------------------------------------------------------------------------------------------
# Citizen ID

PROVINCE_NAMES: Final[dict[str, str]] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa - Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}
PROVINCE_CODES: Final[frozenset[str]] = frozenset(PROVINCE_NAMES)

CITIZEN_ID_LENGTH: Final = 12
LEGACY_ID_LENGTH: Final = 9

# Separators people type or that come from copy-paste: spaces, dots, dashes of every width.
_ID_SEPARATORS = re.compile(r"[\s.\-‐‑‒–—_/]")


@dataclass(frozen=True)
class CitizenId:
    """A checked personal ID number; structure fields are None for a legacy 9-digit CMND.

    `birth_century` is the ordinal century (20 for 1900–1999), `gender` is "nam" or "nữ".
    """

    number: str
    legacy: bool
    province_code: str | None
    gender: str | None
    birth_century: int | None
    birth_year_2: str | None

    @property
    def birth_year(self) -> int | None:
        """Full year of birth (e.g. 1999), or None for a legacy ID."""
        if self.birth_century is None or self.birth_year_2 is None:
            return None
        return (self.birth_century - 1) * 100 + int(self.birth_year_2)

    @property
    def province_name(self) -> str | None:
        return PROVINCE_NAMES.get(self.province_code or "")


def _first_non_digit(value: str) -> str | None:
    # str.isdigit() accepts other scripts' digits and superscripts: check ASCII explicitly.
    return next((ch for ch in value if not "0" <= ch <= "9"), None)


def parse_citizen_id(
    raw: str, *, allow_legacy: bool = True, allow_unknown_province: bool = False
) -> CitizenId:
    """Check a CCCD number (12 digits) or, when allowed, an old 9-digit CMND."""
    number = _ID_SEPARATORS.sub("", clean(raw))
    if not number:
        raise InvalidCitizenId("Chưa nhập số định danh cá nhân.", field="citizen_id", value=raw)
    bad = _first_non_digit(number)
    if bad is not None:
        raise InvalidCitizenId(
            f"Số định danh cá nhân chỉ được gồm chữ số (có ký tự không hợp lệ: '{bad}').",
            field="citizen_id",
            value=raw,
        )

    if len(number) == LEGACY_ID_LENGTH:
        if not allow_legacy:
            raise InvalidCitizenId(
                "Số chứng minh nhân dân cũ (9 chữ số) chỉ dùng cho hồ sơ lưu trữ; "
                "vui lòng nhập số định danh cá nhân 12 chữ số.",
                field="citizen_id",
                value=raw,
            )
        return CitizenId(number, True, None, None, None, None)

    if len(number) != CITIZEN_ID_LENGTH:
        raise InvalidCitizenId(
            f"Số định danh cá nhân phải gồm đúng 12 chữ số (đang có {len(number)}).",
            field="citizen_id",
            value=raw,
        )

    province = number[:3]
    if province not in PROVINCE_CODES and not allow_unknown_province:
        raise InvalidCitizenId(
            f"Ba chữ số đầu '{province}' không phải mã tỉnh, thành phố nơi đăng ký khai sinh "
            "(từ 001 đến 096). Vui lòng kiểm tra lại số định danh.",
            field="citizen_id",
            value=raw,
        )
    gender_century = int(number[3])
    return CitizenId(
        number=number,
        legacy=False,
        province_code=province,
        gender="nam" if gender_century % 2 == 0 else "nữ",
        birth_century=20 + gender_century // 2,
        birth_year_2=number[4:6],
    )


# ---------------------------------------------------------------------------------------------
# Phone

MOBILE_PREFIXES: Final[frozenset[str]] = frozenset(
    [f"3{d}" for d in "23456789"]
    + ["52", "55", "56", "58", "59"]
    + ["70", "76", "77", "78", "79"]
    + [f"8{d}" for d in "123456789"]
    + ["90", "91", "92", "93", "94", "96", "97", "98", "99"]
)
_PHONE_SEPARATORS = re.compile(r"[\s.\-‐‑‒–—()/]")


def normalise_phone(raw: str) -> str:
    """A Vietnamese mobile number in its stored form '0912345678'."""
    compact = _PHONE_SEPARATORS.sub("", clean(raw))
    if not compact:
        raise InvalidPhone("Chưa nhập số điện thoại.", field="phone", value=raw)
    international = compact.startswith(("+", "00"))
    if international:
        compact = compact.removeprefix("+").removeprefix("00")
        if not compact.startswith("84"):
            raise InvalidPhone(
                "Chỉ nhận số điện thoại di động Việt Nam (mã quốc gia +84).",
                field="phone",
                value=raw,
            )
    bad = _first_non_digit(compact)
    if bad is not None:
        raise InvalidPhone(
            f"Số điện thoại chỉ được gồm chữ số (có ký tự không hợp lệ: '{bad}').",
            field="phone",
            value=raw,
        )

    if compact.startswith("84") and (international or len(compact) in (11, 12)):
        # "+84 0912..." is a common slip: the trunk 0 after the country code is dropped.
        national = "0" + compact[2:].removeprefix("0")
    elif compact.startswith("0"):
        national = compact
    elif len(compact) == 9:
        national = "0" + compact
    else:
        national = compact

    if national.startswith("1") or national.startswith("01800") or national.startswith("01900"):
        raise InvalidPhone(
            "Số tổng đài (1800, 1900...) không phải số di động; vui lòng nhập số di động.",
            field="phone",
            value=raw,
        )
    if national.startswith("02"):
        raise InvalidPhone(
            "Đây là số máy bàn; vui lòng nhập số điện thoại di động (10 chữ số, ví dụ 0912345678).",
            field="phone",
            value=raw,
        )
    if len(national) == 11 and national.startswith("01"):
        raise InvalidPhone(
            "Số di động 11 chữ số đầu 01x đã được chuyển sang 10 chữ số từ năm 2018; "
            "vui lòng nhập số mới.",
            field="phone",
            value=raw,
        )
    if len(national) != 10 or not national.startswith("0"):
        raise InvalidPhone(
            f"Số điện thoại di động phải gồm 10 chữ số, bắt đầu bằng 0 (đang có {len(national)}).",
            field="phone",
            value=raw,
        )
    if national[1:3] not in MOBILE_PREFIXES:
        raise InvalidPhone(
            f"Đầu số '0{national[1:3]}' không phải đầu số di động Việt Nam.",
            field="phone",
            value=raw,
        )
    return national


# ---------------------------------------------------------------------------------------------
# E-mail

EMAIL_MAX_LENGTH: Final = 254
_LOCAL_MAX_LENGTH: Final = 64
_LOCAL_PART = re.compile(r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$")
_DOMAIN_LABEL = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_TLD = re.compile(r"^[a-z]{2,63}$")


def normalise_email(raw: str) -> str:
    """A practical e-mail check; the domain is lower-cased, the local part kept as typed."""
    value = clean(raw)

    def fail(reason: str) -> InvalidEmail:
        return InvalidEmail(f"Địa chỉ e-mail không hợp lệ: {reason}", field="email", value=raw)

    if not value:
        raise InvalidEmail("Chưa nhập địa chỉ e-mail.", field="email", value=raw)
    if " " in value:
        raise fail("không được có dấu cách.")
    if len(value) > EMAIL_MAX_LENGTH:
        raise fail(f"dài quá {EMAIL_MAX_LENGTH} ký tự.")
    if value.count("@") != 1:
        raise fail("phải có đúng một dấu @ (ví dụ ten@example.com).")
    local, domain = value.split("@")
    if not local:
        raise fail("thiếu phần tên trước dấu @.")
    if len(local) > _LOCAL_MAX_LENGTH:
        raise fail(f"phần trước dấu @ dài quá {_LOCAL_MAX_LENGTH} ký tự.")
    if not _LOCAL_PART.match(local):
        raise fail("phần trước dấu @ có ký tự không được phép hoặc dấu chấm sai chỗ.")
    domain = domain.lower()
    labels = domain.split(".")
    if len(labels) < 2:
        raise fail("tên miền sau dấu @ phải có dấu chấm (ví dụ gmail.com).")
    if not all(_DOMAIN_LABEL.match(label) for label in labels):
        raise fail("tên miền sau dấu @ không đúng dạng.")
    if not _TLD.match(labels[-1]):
        raise fail("phần đuôi tên miền phải có ít nhất 2 chữ cái (ví dụ .vn, .com).")
    return f"{local}@{domain}"


# ---------------------------------------------------------------------------------------------
# Person name

NAME_MAX_LENGTH: Final = 100
# Typographic apostrophes are stored as the ASCII one, so search and printing see one form.
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'"})
_NAME_SEPARATORS = frozenset("'-")


def _capitalise_word(word: str) -> str:
    # Capitalise after a hyphen or apostrophe too: "h'hen" → "H'Hen", "y-moan" → "Y-Moan".
    out: list[str] = []
    start = True
    for ch in word:
        out.append(ch.upper() if start else ch.lower())
        start = ch in _NAME_SEPARATORS
    return "".join(out)


def clean_person_name(raw: str) -> str:
    """'nguyễn  văn đức' → 'Nguyễn Văn Đức': NFC, spaces collapsed, each word capitalised."""
    value = clean(raw).translate(_APOSTROPHES)
    if not value:
        raise ValidationError("Chưa nhập họ và tên.", field="name", value=raw)
    if len(value) > NAME_MAX_LENGTH:
        raise ValidationError(
            f"Họ và tên dài quá {NAME_MAX_LENGTH} ký tự (đang có {len(value)}).",
            field="name",
            value=raw,
        )
    if any(ch.isdigit() for ch in value):
        raise ValidationError("Họ và tên không được có chữ số.", field="name", value=raw)
    for ch in value:
        if ch == " " or ch in _NAME_SEPARATORS:
            continue
        if unicodedata.category(ch)[0] not in "LM":
            raise ValidationError(
                f"Họ và tên có ký tự không được phép: '{ch}'. "
                "Chỉ dùng chữ cái, dấu cách, dấu nháy (') và gạch nối (-).",
                field="name",
                value=raw,
            )
    words = value.split(" ")
    for word in words:
        parts = re.split(r"['-]", word)
        if not all(parts) or unicodedata.category(word[0])[0] != "L":
            raise ValidationError(
                f"Dấu nháy (') và gạch nối (-) chỉ được đặt giữa hai chữ cái (ở '{word}').",
                field="name",
                value=raw,
            )
    return " ".join(_capitalise_word(word) for word in words)
