"""The sites (offices) allowed to sync: a site id and a shared secret each.

The secret is stored as is, not hashed: every request is checked by recomputing its HMAC, and
an HMAC cannot be recomputed from a hash of its key. The district database must therefore be
protected like a key store (file permissions, database roles); `site add --rotate` replaces a
leaked secret.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from kiosk.district.storage import Database
from kiosk.domain.errors import KioskError
from kiosk.store.tx import to_iso

SITE_ID_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class SiteError(KioskError):
    """A site cannot be registered as asked."""

    code = "site_error"


@dataclass(frozen=True, slots=True)
class Site:
    site_id: str
    name: str
    acked: int
    created_at: str
    last_push_at: str | None
    revoked_at: str | None


def new_secret() -> str:
    """A fresh random secret (256 bits, URL-safe text)."""
    return secrets.token_urlsafe(32)


def check_site_id(site_id: str) -> str:
    if not SITE_ID_PATTERN.fullmatch(site_id):
        raise SiteError(
            f"Mã đơn vị '{site_id}' không hợp lệ: chỉ dùng chữ không dấu, số, '.', '-', '_' "
            "(tối đa 64 ký tự)."
        )
    return site_id


def add_site(
    db: Database, site_id: str, *, now: datetime, name: str = "", rotate: bool = False
) -> str:
    """Register a site (or give it a new secret with `rotate`); returns the new secret."""
    check_site_id(site_id)
    secret = new_secret()
    with db.write() as conn:
        exists = conn.one("SELECT 1 FROM sites WHERE site_id = ?", (site_id,))
        if exists and not rotate:
            raise SiteError(
                f"Đơn vị '{site_id}' đã được đăng ký; dùng --rotate để cấp khóa bí mật mới."
            )
        if exists:
            conn.execute(
                "UPDATE sites SET secret = ?, revoked_at = NULL"
                + (", name = ?" if name else "")
                + " WHERE site_id = ?",
                (secret, name, site_id) if name else (secret, site_id),
            )
        else:
            conn.execute(
                "INSERT INTO sites (site_id, name, secret, acked, created_at) "
                "VALUES (?, ?, ?, 0, ?)",
                (site_id, name, secret, to_iso(now)),
            )
    return secret


def site_secret(db: Database, site_id: str) -> str | None:
    """The secret of an active site, or None when the site is unknown or revoked."""
    with db.read() as conn:
        row = conn.one(
            "SELECT secret FROM sites WHERE site_id = ? AND revoked_at IS NULL", (site_id,)
        )
    return None if row is None else str(row[0])


def list_sites(db: Database) -> list[Site]:
    with db.read() as conn:
        rows = conn.all(
            "SELECT site_id, name, acked, created_at, last_push_at, revoked_at FROM sites "
            "ORDER BY site_id"
        )
    return [Site(str(r[0]), str(r[1]), int(r[2]), str(r[3]), r[4], r[5]) for r in rows]
