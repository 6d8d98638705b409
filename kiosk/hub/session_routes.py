"""Staff sessions: log in on a device, who is logged in, log out, and the first admin account.

A device holds one staff session at a time (a new login ends the previous one); the session
token travels as `X-Staff-Session`.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.responses import Response
from pydantic import BaseModel, Field

from kiosk.hub import auth, wire
from kiosk.hub.auth import StaffSession
from kiosk.hub.deps import AdminDevice, AnyDevice, HubDep

router = APIRouter()


class FirstAdminIn(BaseModel):
    username: str = Field(min_length=1, max_length=50)
    full_name: str = Field(min_length=1, max_length=100)
    secret: str = Field(min_length=4, max_length=200)


class LoginIn(BaseModel):
    username: str = Field(min_length=1, max_length=50)
    secret: str = Field(min_length=1, max_length=200)


def session_info(session: StaffSession) -> wire.SessionInfo:
    return {
        "staff": {
            "username": session.staff.username,
            "full_name": session.staff.full_name,
            "role": session.staff.role.value,
        },
        "counter_number": session.device.counter_number,
        "expires_at": session.expires_at.isoformat(),
    }


def login_answer(session: StaffSession, token: str) -> wire.Login:
    """The new session as the client keeps it: who, where, until when, and its token."""
    return {"token": token, **session_info(session)}


@router.post("/api/session/login", tags=["cán bộ"])
async def login(hub: HubDep, body: LoginIn, dev: AnyDevice) -> wire.Login:
    """Cán bộ đăng nhập trên máy quầy (hoặc máy quản trị); trả về mã phiên (gửi kèm
    X-Staff-Session)."""
    session, token = await hub.run(auth.login, hub.office.store, dev, body.username, body.secret)
    hub.forget_sessions_of(dev.id)  # the device's previous session has just ended
    return login_answer(session, token)


@router.get("/api/session", tags=["cán bộ"])
async def current_session(
    hub: HubDep, dev: AnyDevice, x_staff_session: Annotated[str, Header()] = ""
) -> wire.SessionInfo:
    """Cán bộ đang đăng nhập trên máy này (401 khi phiên đã hết hoặc không có)."""
    return session_info(await hub.session(dev, x_staff_session))


@router.get("/api/admin/first-admin", tags=["quản trị"])
async def first_admin_needed(hub: HubDep, dev: AdminDevice) -> wire.FirstAdminNeeded:
    """Văn phòng chưa có tài khoản quản trị nào (máy quản trị được tạo tài khoản đầu tiên)?"""
    count: int = await hub.run(auth.active_admin_count, hub.office.store)
    return {"needed": count == 0}


@router.post("/api/admin/first-admin", tags=["quản trị"], status_code=201)
async def first_admin(hub: HubDep, body: FirstAdminIn, dev: AdminDevice) -> wire.Login:
    """Tạo tài khoản quản trị đầu tiên và đăng nhập luôn (chỉ khi chưa có tài khoản nào)."""
    session, token = await hub.run(
        auth.create_first_admin,
        hub.office.store,
        dev,
        username=body.username,
        full_name=body.full_name,
        secret=body.secret,
    )
    hub.forget_sessions_of(dev.id)
    return login_answer(session, token)


@router.post("/api/session/logout", tags=["cán bộ"], status_code=204, response_class=Response)
async def logout_route(
    hub: HubDep, dev: AnyDevice, x_staff_session: Annotated[str, Header()] = ""
) -> None:
    session = await hub.session(dev, x_staff_session)
    await hub.run(auth.logout, hub.office.store, session, x_staff_session)
    hub.forget_credentials()
