"""Sample forms with realistic Vietnamese data: for `kiosk print-test`, the demo and the tests."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Final

from kiosk.clock import VN_TZ
from kiosk.printing.forms.data import (
    ApologyForm,
    ControlSlipForm,
    DocumentLine,
    HandoverRow,
    MissingItem,
    OfficeHeader,
    ReceiptForm,
    RefusalForm,
    RegisterForm,
    RegisterRow,
    SupplementForm,
)

KINDS: Final = ("form01", "form02", "form03", "form04", "form05", "form06")
SAMPLE_CODE: Final = "000.00.21.H12-260316-0007"
SAMPLE_NAME: Final = "Nguyễn Thị Thu Hương"
SAMPLE_OFFICE: Final = OfficeHeader(agency="UBND xã Tân Phong", place="Tân Phong")
RECEIVED_AT: Final = datetime(2026, 3, 16, 9, 5, tzinfo=VN_TZ)

_DOCUMENTS: Final = (
    DocumentLine("Tờ khai đăng ký khai sinh theo mẫu", originals=1),
    DocumentLine("Giấy chứng sinh do cơ sở khám bệnh, chữa bệnh cấp", originals=1),
    DocumentLine("Giấy chứng nhận kết hôn của cha, mẹ", certified=1),
    DocumentLine("Thẻ căn cước của người đi đăng ký", photocopies=1),
)


def sample_receipt(*, documents: int = 4, name: str = SAMPLE_NAME) -> ReceiptForm:
    """Form 01; `documents` above 4 adds numbered land documents (long-list layout)."""
    docs = _DOCUMENTS[:documents] + tuple(
        DocumentLine(f"Giấy tờ số {i:02d}: bản kê khai tài sản gắn liền với đất", certified=1)
        for i in range(len(_DOCUMENTS) + 1, documents + 1)
    )
    return ReceiptForm(
        office=SAMPLE_OFFICE,
        code=SAMPLE_CODE,
        applicant_name=name,
        procedure_name="Đăng ký khai sinh",
        received_at=RECEIVED_AT,
        due_at=RECEIVED_AT.replace(hour=16, minute=0) + timedelta(days=1),
        time_limit="01 ngày làm việc",
        documents=docs,
        applicant_address="Số 12, ngõ 34, đường Trần Hưng Đạo, thôn Đông Hòa, xã Tân Phong, "
        "tỉnh Hưng Yên",
        applicant_phone="0912345678",
        applicant_email="thuhuong@example.vn",
        applicant_id_number="033190012345",
        fee=0,
        register_book="01/2026",
        register_number="0207/2026",
        receiver_name="Trần Văn Bình",
    )


def sample_supplement() -> SupplementForm:
    return SupplementForm(
        office=SAMPLE_OFFICE,
        issued_at=RECEIVED_AT,
        number="12/PBS",
        applicant_name="Lê Văn Đức",
        procedure_name="Đăng ký thành lập hộ kinh doanh",
        applicant_address="Thôn Phú Mỹ, xã Tân Phong",
        applicant_phone="0987654321",
        items=(
            MissingItem("Giấy đề nghị đăng ký hộ kinh doanh", "Ghi đủ ngành, nghề kinh doanh"),
            MissingItem("Bản sao biên bản họp thành viên hộ gia đình", "Có chữ ký đủ thành viên"),
            MissingItem("Bản sao hợp đồng thuê địa điểm kinh doanh"),
        ),
        reason="Hồ sơ chưa đủ thành phần theo quy định của Nghị định 168/2025/NĐ-CP.",
        contact="bà Phạm Thị Lan, Bộ phận Một cửa, số điện thoại 0221 3861 234",
        officer_name="Phạm Thị Lan",
    )


def sample_refusal() -> RefusalForm:
    return RefusalForm(
        office=SAMPLE_OFFICE,
        issued_at=RECEIVED_AT,
        number="03/PTC",
        applicant_name="Hoàng Minh Tuấn",
        procedure_name="Chứng thực chữ ký",
        applicant_address="Tổ 5, phường Hiến Nam, tỉnh Hưng Yên",
        applicant_phone="0903111222",
        reason="Giấy tờ, văn bản yêu cầu chứng thực chữ ký có nội dung trái pháp luật "
        "(khoản 4 Điều 25 Nghị định 23/2015/NĐ-CP).",
        officer_name="Trần Văn Bình",
    )


def sample_apology() -> ApologyForm:
    return ApologyForm(
        office=SAMPLE_OFFICE,
        issued_at=datetime(2026, 4, 6, 8, 0, tzinfo=VN_TZ),
        number="02/PXL",
        addressee="Ông Vũ Đình Khải",
        code="000.00.21.H12-260320-0003",
        procedure_name="Đăng ký biến động quyền sử dụng đất (chuyển nhượng)",
        received_at=datetime(2026, 3, 20, 10, 30, tzinfo=VN_TZ),
        original_due_at=datetime(2026, 4, 7, 16, 0, tzinfo=VN_TZ),
        new_due_at=datetime(2026, 4, 14, 16, 0, tzinfo=VN_TZ),
        reason="Phải xác minh lại ranh giới thửa đất với hộ liền kề.",
        signer_title="CHỦ TỊCH",
        signer_name="Đỗ Quang Vinh",
    )


def sample_control_slip() -> ControlSlipForm:
    at = RECEIVED_AT
    return ControlSlipForm(
        office=SAMPLE_OFFICE,
        code=SAMPLE_CODE,
        applicant_name=SAMPLE_NAME,
        procedure_name="Đăng ký khai sinh",
        received_at=at,
        due_at=at.replace(hour=16, minute=0) + timedelta(days=1),
        receipt_number="0207/2026",
        lead_unit="Công chức Tư pháp - Hộ tịch",
        coordinating_units="Công an xã Tân Phong",
        handovers=(
            HandoverRow(
                "Bộ phận Một cửa",
                "Tư pháp - Hộ tịch",
                at + timedelta(minutes=40),
                "Trần Văn Bình",
                "Nguyễn Thị Mai",
                "on_time",
            ),
            HandoverRow(
                "Tư pháp - Hộ tịch",
                "Bộ phận Một cửa",
                at + timedelta(hours=5),
                "Nguyễn Thị Mai",
                "Trần Văn Bình",
                "early",
                "Đã có kết quả",
            ),
        ),
    )


def sample_register(rows: int = 6) -> RegisterForm:
    names = (SAMPLE_NAME, "Lê Văn Đức", "Hoàng Minh Tuấn", "Vũ Đình Khải", "Đặng Thị Ngọc Ánh")
    procedures = (
        "Đăng ký khai sinh",
        "Chứng thực bản sao từ bản chính",
        "Đăng ký kết hôn",
        "Đăng ký thành lập hộ kinh doanh",
    )
    out = []
    for i in range(1, rows + 1):
        at = RECEIVED_AT + timedelta(minutes=17 * i)
        out.append(
            RegisterRow(
                number=f"{200 + i:02d}",
                code=f"000.00.21.H12-260316-{i:04d}",
                procedure_name=procedures[i % len(procedures)],
                applicant_name=names[i % len(names)],
                received_at=at,
                due_at=at.replace(hour=16, minute=0) + timedelta(days=1),
                sets=1,
                applicant_address="Thôn Đông Hòa, xã Tân Phong",
                applicant_phone=f"09123456{i:02d}",
                processing_unit="Tư pháp - Hộ tịch",
                transferred_at=at + timedelta(minutes=30),
                result_at=at + timedelta(hours=5) if i % 2 else None,
                returned_at=at + timedelta(days=1) if i % 3 == 0 else None,
            )
        )
    return RegisterForm(office=SAMPLE_OFFICE, year=2026, book="01/2026", rows=tuple(out))


SampleForm = (
    ReceiptForm | SupplementForm | RefusalForm | ApologyForm | ControlSlipForm | RegisterForm
)


def sample_form(kind: str) -> SampleForm:
    """The sample of 'form01' … 'form06'."""
    builders: dict[str, Callable[[], SampleForm]] = {
        "form01": sample_receipt,
        "form02": sample_supplement,
        "form03": sample_refusal,
        "form04": sample_apology,
        "form05": sample_control_slip,
        "form06": sample_register,
    }
    if kind not in builders:
        raise ValueError(f"unknown form {kind!r}; one of {', '.join(KINDS)}")
    return builders[kind]()
