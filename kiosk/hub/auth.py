"""Devices, roles and staff logins of the office hub.

A device (kiosk PC, counter PC, display, rating screen, admin console) is registered by an
admin and gets a bearer token for exactly one role; counters and rating screens are bound to
one counter number. A counter acts only after a staff member logs in on it (password or PIN,
argon2-hashed); repeated failures lock the account for a while. Tokens are random, shown once,
and stored only as sha256 hashes. Every change here writes an audit row (Store.write).
"""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, Final

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from kiosk.domain.errors import KioskError, ValidationError
from kiosk.domain.text import clean
from kiosk.store import Store, WriteTx, to_iso

log = logging.getLogger(__name__)

MAX_FAILED_LOGINS: Final = 5
LOCKOUT: Final = timedelta(minutes=5)
SESSION_LIFETIME: Final = timedelta(hours=12)

# Argon2id with the library's defaults (RFC 9106 low-memory profile).
_hasher = PasswordHasher()
# A fixed hash to verify against when the user does not exist, so timing does not tell.
_DUMMY_HASH: Final = _hasher.hash("không có tài khoản này")


class Role(StrEnum):
    KIOSK = "kiosk"
    COUNTER = "counter"
    DISPLAY = "display"
    RATING = "rating"
    ADMIN = "admin"


ROLE_LABELS: Final = {
    Role.KIOSK: "máy lấy số",
    Role.COUNTER: "máy quầy",
    Role.DISPLAY: "bảng hiển thị",
    Role.RATING: "màn hình đánh giá",
    Role.ADMIN: "quản trị",
}


class StaffRole(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class AuthError(KioskError):
    """Who is asking is unknown or not allowed (HTTP 401/403)."""

    code = "auth_error"
    status = 401


class Forbidden(AuthError):
    code = "forbidden"
    status = 403


class FirstAdminExists(KioskError):
    """The first-admin bootstrap is closed: an admin account exists (HTTP 409)."""

    code = "admin_exists"
    status = 409


class AccountLocked(AuthError):
    code = "account_locked"
    status = 423


class AccountInactive(AuthError):
    """The account exists and the secret is right, but the member no longer works here."""

    code = "account_inactive"
    status = 403


class StaffNotFound(KioskError):
    code = "staff_not_found"
    status = 404


class StaffChangeRefused(KioskError):
    """A change that would leave the office without an administrator (HTTP 409)."""

    code = "staff_change_refused"
    status = 409


@dataclass(frozen=True, slots=True)
class Device:
    id: int
    name: str
    role: Role
    counter_number: int | None


@dataclass(frozen=True, slots=True)
class Staff:
    id: int
    username: str
    full_name: str
    role: StaffRole


@dataclass(frozen=True, slots=True)
class StaffSession:
    staff: Staff
    device: Device
    expires_at: datetime


@dataclass(frozen=True, slots=True)
class AdminSession(Device):
    """An admin device with an admin staff member logged in on it: what admin routes get.

    It is the device (so `.id` and `.name` are the device's) plus who is at it; audit rows
    name both through `actor`.
    """

    staff: Staff
    expires_at: datetime

    @property
    def device(self) -> Device:
        return Device(self.id, self.name, self.role, self.counter_number)

    @property
    def actor(self) -> str:
        return f"staff:{self.staff.username}@device:{self.id}"


def admin_session(session: StaffSession) -> AdminSession:
    """The admin caller of a staff session on an admin device; Forbidden unless both are admin."""
    device = session.device
    if device.role is not Role.ADMIN:
        raise Forbidden(
            f"Thiết bị '{device.name}' ({ROLE_LABELS[device.role]}) không được làm việc này."
        )
    if session.staff.role is not StaffRole.ADMIN:
        raise Forbidden(
            f"Tài khoản '{session.staff.username}' không có quyền quản trị. "
            "Hãy đăng nhập bằng tài khoản quản trị."
        )
    return AdminSession(
        device.id,
        device.name,
        device.role,
        device.counter_number,
        staff=session.staff,
        expires_at=session.expires_at,
    )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def register_device(
    store: Store, *, name: str, role: Role | str, counter_number: int | None = None, actor: str
) -> tuple[Device, str]:
    """Register a device; returns it and its token (shown once, stored hashed)."""
    role = Role(role)
    label = clean(name)
    if not label:
        raise ValidationError("Chưa nhập tên thiết bị.", field="name")
    needs_counter = role in (Role.COUNTER, Role.RATING)
    if needs_counter and (counter_number is None or counter_number < 1):
        raise ValidationError(
            f"Thiết bị {ROLE_LABELS[role]} phải gắn với một số quầy.", field="counter_number"
        )
    if not needs_counter:
        counter_number = None
    token = new_token()
    with store.write(actor, "device.register", target=label, details={"role": role.value}) as tx:
        device_id = tx.insert(
            "devices",
            {
                "name": label,
                "role": role.value,
                "counter_number": counter_number,
                "token_hash": hash_token(token),
                "created_at": tx.now_iso,
            },
        )
    log.info("device registered", extra={"device": device_id, "role": role.value})
    return Device(device_id, label, role, counter_number), token


def keep_device(tx: WriteTx, device: Device, token: str) -> bool:
    """Make `token` a working token of `device` again, inside a write (after a restore from a
    backup older than that device, the admin who restored keeps the screen they restored from);
    True when it had to be brought back."""
    token_hash = hash_token(token)
    row = tx.execute(
        "SELECT id, revoked_at FROM devices WHERE token_hash = ?", (token_hash,)
    ).fetchone()
    if row is not None and row[1] is None:
        return False
    if row is not None:
        tx.execute("UPDATE devices SET revoked_at = NULL WHERE id = ?", (row[0],))
    else:
        tx.insert(
            "devices",
            {
                "name": device.name,
                "role": device.role.value,
                "counter_number": device.counter_number,
                "token_hash": token_hash,
                "created_at": tx.now_iso,
            },
        )
    return True


def revoke_device(store: Store, device_id: int, *, actor: str) -> None:
    with store.write(actor, "device.revoke", target=f"device:{device_id}") as tx:
        tx.execute(
            "UPDATE devices SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
            (tx.now_iso, device_id),
        )
        tx.execute(
            "UPDATE staff_sessions SET ended_at = ? WHERE device_id = ? AND ended_at IS NULL",
            (tx.now_iso, device_id),
        )


def list_devices(store: Store) -> list[dict[str, object]]:
    return store.query(
        "SELECT id, name, role, counter_number, created_at, revoked_at, last_seen_at "
        "FROM devices ORDER BY id"
    )


def authenticate_device(store: Store, token: str) -> Device:
    """The device owning `token`; AuthError when unknown or revoked."""
    if not token:
        raise AuthError("Thiếu mã truy cập của thiết bị.")
    row = store.conn.execute(
        "SELECT id, name, role, counter_number FROM devices "
        "WHERE token_hash = ? AND revoked_at IS NULL",
        (hash_token(token),),
    ).fetchone()
    if row is None:
        raise AuthError("Mã truy cập không hợp lệ hoặc thiết bị đã bị thu hồi.")
    return Device(int(row[0]), str(row[1]), Role(row[2]), row[3])


def _check_secret(secret: str) -> None:
    if secret.isdigit():
        if len(secret) < 4:
            raise ValidationError("Mã PIN phải có ít nhất 4 chữ số.", field="secret")
    elif len(secret) < 8:
        raise ValidationError("Mật khẩu phải có ít nhất 8 ký tự.", field="secret")


def create_staff(
    store: Store,
    *,
    username: str,
    full_name: str,
    secret: str,
    role: StaffRole | str = StaffRole.CLERK,
    actor: str,
) -> Staff:
    """Add a staff account; `secret` is a password (≥ 8 chars) or a PIN (≥ 4 digits)."""
    login = clean(username).lower()
    if not login or " " in login:
        raise ValidationError(
            "Tên đăng nhập không được trống hay có khoảng trắng.", field="username"
        )
    name = clean(full_name)
    if not name:
        raise ValidationError("Chưa nhập họ tên cán bộ.", field="full_name")
    _check_secret(secret)
    role = StaffRole(role)
    secret_hash = _hasher.hash(secret)
    with store.write(actor, "staff.create", target=f"staff:{login}") as tx:
        if tx.execute("SELECT 1 FROM staff WHERE username = ?", (login,)).fetchone():
            raise ValidationError(f"Tên đăng nhập '{login}' đã có.", field="username")
        staff_id = tx.insert(
            "staff",
            {
                "username": login,
                "full_name": name,
                "role": role.value,
                "secret_hash": secret_hash,
                "created_at": tx.now_iso,
            },
        )
    return Staff(staff_id, login, name, role)


_STAFF_COLUMNS: Final = "id, username, full_name, role, active, locked_until, created_at"


def _staff_json(row: tuple[Any, ...], now: datetime) -> dict[str, Any]:
    locked_until = row[5]
    return {
        "id": int(row[0]),
        "username": str(row[1]),
        "full_name": str(row[2]),
        "role": str(row[3]),
        "active": bool(row[4]),
        "locked_until": locked_until,
        # A lock that has run out is no lock: the list says so by the hub's clock.
        "locked": bool(locked_until) and datetime.fromisoformat(locked_until) > now,
        "created_at": str(row[6]),
    }


def list_staff(store: Store) -> list[dict[str, Any]]:
    """Staff accounts without secrets, by username; `locked` by the hub's clock."""
    now = store.now()
    rows = store.conn.execute(f"SELECT {_STAFF_COLUMNS} FROM staff ORDER BY username").fetchall()
    return [_staff_json(tuple(row), now) for row in rows]


def _refuse_losing_an_admin(
    tx: WriteTx, username: str, staff_id: int, by_staff_id: int | None
) -> None:
    """An active admin who leaves or changes role: refused when he is the last active admin,
    or when he is the one asking (`by_staff_id`)."""
    admins = tx.execute(
        "SELECT count(*) FROM staff WHERE role = ? AND active = 1",
        (StaffRole.ADMIN.value,),
    ).fetchone()
    if int(admins[0]) <= 1:
        raise StaffChangeRefused(
            f"'{username}' là tài khoản quản trị cuối cùng đang hoạt động: không thể "
            "cho nghỉ hay đổi vai trò. Hãy tạo thêm một tài khoản quản trị trước."
        )
    if staff_id == by_staff_id:
        raise StaffChangeRefused(
            "Không thể tự cho mình nghỉ hay bỏ quyền quản trị của chính mình (màn hình "
            "quản trị sẽ bị đóng giữa chừng). Hãy nhờ một quản trị viên khác làm việc này."
        )


def _end_sessions(tx: WriteTx, staff_id: int, keep_session: str) -> int:
    """End the member's open sessions but `keep_session`; how many ended."""
    ended: int = tx.execute(
        "UPDATE staff_sessions SET ended_at = ? "
        "WHERE staff_id = ? AND ended_at IS NULL AND token_hash != ?",
        (tx.now_iso, staff_id, hash_token(keep_session) if keep_session else ""),
    ).rowcount
    return ended


def _audit_staff_change(
    tx: WriteTx, changes: dict[str, Any], old_role: StaffRole, *, unlock: bool, ended: int
) -> None:
    """What changed, for the audit row: the secret only as "reset", never its hash."""
    tx.details.update({k: v for k, v in changes.items() if k in ("full_name", "role")})
    if "role" in changes:
        tx.details["role_before"] = old_role.value
    if "active" in changes:
        tx.details["active"] = bool(changes["active"])
    if "secret_hash" in changes:
        tx.details["secret_reset"] = True
    if unlock:
        tx.details["unlocked"] = True
    if ended:
        tx.details["sessions_ended"] = ended


def update_staff(
    store: Store,
    staff_id: int,
    *,
    full_name: str | None = None,
    role: StaffRole | str | None = None,
    active: bool | None = None,
    secret: str | None = None,
    unlock: bool = False,
    actor: str,
    by_staff_id: int | None = None,
    keep_session: str = "",
) -> dict[str, Any]:
    """Change a staff account in one write: name, role, active, a new secret, unlock.

    A member deactivated, given a new secret or another role is logged out everywhere (his
    open sessions end), except the caller's own session `keep_session` (an admin changing his
    own password carries on). Refused: leaving no active admin, and an admin (`by_staff_id`)
    deactivating or demoting himself. The audit row names what changed, never the secret.
    Returns the account as `list_staff` shows it, plus `sessions_ended`.
    """
    name = None if full_name is None else clean(full_name)
    if name is not None and not name:
        raise ValidationError("Chưa nhập họ tên cán bộ.", field="full_name")
    new_role = None if role is None else StaffRole(role)
    secret_hash = None
    if secret is not None:
        _check_secret(secret)
        secret_hash = _hasher.hash(secret)  # slow on purpose: before the write lock is taken
    with store.write(actor, "staff.update", target=f"staff:{staff_id}") as tx:
        row = tx.execute(f"SELECT {_STAFF_COLUMNS} FROM staff WHERE id = ?", (staff_id,)).fetchone()
        if row is None:
            raise StaffNotFound(f"Không có tài khoản cán bộ số {staff_id}.")
        username, old_role, was_active = str(row[1]), StaffRole(row[3]), bool(row[4])
        tx.target = f"staff:{username}"
        changes: dict[str, Any] = {}
        if name is not None and name != row[2]:
            changes["full_name"] = name
        if new_role is not None and new_role is not old_role:
            changes["role"] = new_role.value
        if active is not None and active != was_active:
            changes["active"] = int(active)
        loses_admin = (
            was_active
            and old_role is StaffRole.ADMIN
            and (changes.get("active") == 0 or "role" in changes)
        )
        if loses_admin:
            _refuse_losing_an_admin(tx, username, staff_id, by_staff_id)
        if secret_hash is not None:
            changes["secret_hash"] = secret_hash
        if unlock:
            changes["failed_attempts"] = 0
            changes["locked_until"] = None
        if changes:
            columns = ", ".join(f"{column} = ?" for column in changes)
            tx.execute(f"UPDATE staff SET {columns} WHERE id = ?", (*changes.values(), staff_id))
        ended = 0
        if secret_hash is not None or "role" in changes or changes.get("active") == 0:
            ended = _end_sessions(tx, staff_id, keep_session)
        _audit_staff_change(tx, changes, old_role, unlock=unlock, ended=ended)
        after = tx.execute(f"SELECT {_STAFF_COLUMNS} FROM staff WHERE id = ?", (staff_id,))
        answer = _staff_json(tuple(after.fetchone()), tx.now)
    log.info("staff updated", extra={"staff": staff_id, "sessions_ended": ended})
    return {**answer, "sessions_ended": ended}


def active_admin_count(store: Store) -> int:
    """How many active staff accounts may administer the office."""
    row = store.conn.execute(
        "SELECT count(*) FROM staff WHERE role = ? AND active = 1", (StaffRole.ADMIN.value,)
    ).fetchone()
    return int(row[0])


def create_first_admin(
    store: Store, device: Device, *, username: str, full_name: str, secret: str
) -> tuple[StaffSession, str]:
    """Bootstrap: the first admin account, made from an admin device while none exists, and
    logged in on that device at once. Refused once any active admin account exists (then only
    an admin, or `kiosk staff add --role admin` on the hub PC, adds more)."""
    if device.role is not Role.ADMIN:
        raise Forbidden(
            f"Thiết bị '{device.name}' ({ROLE_LABELS[device.role]}) không được làm việc này."
        )
    if active_admin_count(store):
        raise FirstAdminExists(
            "Văn phòng đã có tài khoản quản trị: hãy đăng nhập. Quên mật khẩu thì chạy "
            "'kiosk staff add TÊN --role admin' trên máy chủ văn phòng."
        )
    create_staff(
        store,
        username=username,
        full_name=full_name,
        secret=secret,
        role=StaffRole.ADMIN,
        actor=f"device:{device.id}",
    )
    return login(store, device, username, secret)


def login(store: Store, device: Device, username: str, secret: str) -> tuple[StaffSession, str]:
    """Log a staff member in on a counter (or admin) device; returns the session and its token."""
    if device.role not in (Role.COUNTER, Role.ADMIN):
        raise Forbidden(f"Không thể đăng nhập cán bộ trên {ROLE_LABELS[device.role]}.")
    login_name = clean(username).lower()
    now = store.now()
    row = store.conn.execute(
        "SELECT id, username, full_name, role, secret_hash, active, failed_attempts, locked_until "
        "FROM staff WHERE username = ?",
        (login_name,),
    ).fetchone()
    if row is not None and row[7] and datetime.fromisoformat(row[7]) > now:
        until = datetime.fromisoformat(row[7])
        raise AccountLocked(f"Tài khoản tạm khóa do nhập sai nhiều lần. Thử lại sau {until:%H:%M}.")
    try:
        _hasher.verify(row[4] if row is not None else _DUMMY_HASH, secret)
        ok = row is not None
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None:
        _record_failure(store, login_name, device, row is not None)
        raise AuthError("Sai tên đăng nhập hoặc mật khẩu/PIN.")
    if not row[5]:
        # Said only to someone who knows the secret: it tells nothing to a guesser.
        raise AccountInactive(
            f"Tài khoản '{row[1]}' đã ngừng hoạt động (cán bộ đã nghỉ). "
            "Cần quản trị mở lại tài khoản trước khi đăng nhập."
        )
    staff = Staff(int(row[0]), str(row[1]), str(row[2]), StaffRole(row[3]))
    token = new_token()
    expires = now + SESSION_LIFETIME
    with store.write(f"staff:{staff.username}", "staff.login", target=f"device:{device.id}") as tx:
        tx.execute(
            "UPDATE staff SET failed_attempts = 0, locked_until = NULL WHERE id = ?", (staff.id,)
        )
        # One staff session per device: logging in ends the previous one.
        tx.execute(
            "UPDATE staff_sessions SET ended_at = ? WHERE device_id = ? AND ended_at IS NULL",
            (tx.now_iso, device.id),
        )
        tx.insert(
            "staff_sessions",
            {
                "token_hash": hash_token(token),
                "staff_id": staff.id,
                "device_id": device.id,
                "created_at": tx.now_iso,
                "expires_at": to_iso(expires),
            },
        )
    return StaffSession(staff, device, expires), token


def _record_failure(store: Store, username: str, device: Device, known: bool) -> None:
    with store.write(f"device:{device.id}", "staff.login_failed", target=f"staff:{username}") as tx:
        if not known:
            return
        row = tx.execute(
            "UPDATE staff SET failed_attempts = failed_attempts + 1 WHERE username = ? "
            "RETURNING failed_attempts",
            (username,),
        ).fetchone()
        if row is not None and int(row[0]) >= MAX_FAILED_LOGINS:
            tx.execute(
                "UPDATE staff SET failed_attempts = 0, locked_until = ? WHERE username = ?",
                (to_iso(tx.now + LOCKOUT), username),
            )
            tx.details["locked"] = True


def authenticate_session(store: Store, device: Device, token: str) -> StaffSession:
    """The staff session `token` on `device`; AuthError when missing, ended or expired."""
    if not token:
        raise AuthError("Cần đăng nhập cán bộ trước khi thao tác tại quầy.")
    row = store.conn.execute(
        "SELECT s.id, s.username, s.full_name, s.role, x.expires_at, x.device_id "
        "FROM staff_sessions x JOIN staff s ON s.id = x.staff_id "
        "WHERE x.token_hash = ? AND x.ended_at IS NULL AND s.active = 1",
        (hash_token(token),),
    ).fetchone()
    if row is None or int(row[5]) != device.id:
        raise AuthError("Phiên đăng nhập không hợp lệ hoặc đã kết thúc. Hãy đăng nhập lại.")
    expires = datetime.fromisoformat(row[4])
    if expires <= store.now():
        raise AuthError("Phiên đăng nhập đã hết hạn. Hãy đăng nhập lại.")
    staff = Staff(int(row[0]), str(row[1]), str(row[2]), StaffRole(row[3]))
    return StaffSession(staff, device, expires)


def logout(store: Store, session: StaffSession, token: str) -> None:
    with store.write(f"staff:{session.staff.username}", "staff.logout") as tx:
        tx.execute(
            "UPDATE staff_sessions SET ended_at = ? WHERE token_hash = ?",
            (tx.now_iso, hash_token(token)),
        )
