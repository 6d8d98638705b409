"""Checking a site's signed request (see kiosk.sync.protocol): who, when, and untampered."""

from __future__ import annotations

from collections.abc import Mapping

from kiosk.district.errors import Refusal
from kiosk.district.sites import site_secret
from kiosk.district.storage import Database
from kiosk.sync import protocol


def authenticate(
    db: Database,
    *,
    method: str,
    path: str,
    headers: Mapping[str, str],
    body: bytes,
    now: float,
) -> str:
    """The site id of a correctly signed, timely request; otherwise a 401 `Refusal`.

    The signature is checked before the time, so a site whose only fault is its clock is told
    exactly that (with the server's time), and an old request replayed verbatim is refused.
    """
    site_id = headers.get(protocol.SITE_HEADER, "")
    stamp = headers.get(protocol.TIMESTAMP_HEADER, "")
    signature = headers.get(protocol.SIGNATURE_HEADER, "")
    if not (site_id and stamp and signature):
        raise Refusal(
            401,
            protocol.ERROR_MISSING_SIGNATURE,
            "Yêu cầu thiếu chữ ký (mã đơn vị, thời điểm, chữ ký).",
        )
    try:
        timestamp = int(stamp)
    except ValueError:
        raise Refusal(
            401, protocol.ERROR_BAD_SIGNATURE, "Thời điểm ký của yêu cầu không hợp lệ."
        ) from None
    secret = site_secret(db, site_id)
    if secret is None:
        raise Refusal(
            401,
            protocol.ERROR_UNKNOWN_SITE,
            f"Đơn vị '{site_id}' chưa được đăng ký với máy chủ cấp huyện hoặc đã bị thu hồi.",
        )
    if not protocol.verify(secret, method, path, timestamp, body, signature):
        raise Refusal(
            401,
            protocol.ERROR_BAD_SIGNATURE,
            "Chữ ký của yêu cầu không đúng: kiểm tra khóa bí mật của đơn vị.",
        )
    if abs(now - timestamp) > protocol.MAX_SKEW_SECONDS:
        raise Refusal(
            401,
            protocol.ERROR_CLOCK_SKEW,
            f"Đồng hồ của máy lệch quá {protocol.MAX_SKEW_SECONDS // 60} phút so với máy chủ "
            "cấp huyện (hoặc yêu cầu cũ bị gửi lại): hãy chỉnh lại giờ máy.",
        )
    return site_id
