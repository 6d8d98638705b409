"""`kiosk serve`, `kiosk devices` and `kiosk staff`: the office hub, the devices allowed to
connect to it and the staff accounts."""

from __future__ import annotations

import click

from kiosk.cli.root import KioskGroup, cli, clock_of, echo_json, open_office, paths_of
from kiosk.clock import system_clock

# --- the hub, devices and staff -----------------------------------------------------------


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Địa chỉ lắng nghe.")
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Chạy máy chủ văn phòng (hub): API, luồng sự kiện, bảng hiển thị web /display."""
    from kiosk.hub.server import ADMIN_TOKEN_FILE
    from kiosk.hub.server import serve as run_hub

    paths = paths_of(ctx)
    click.echo(f"Máy chủ văn phòng: http://{host}:{port}  (bảng hiển thị: /display?token=…)")
    click.echo(f"Mã quản trị lần đầu (nếu vừa tạo): {paths.data_dir / ADMIN_TOKEN_FILE}")
    if clock_of(ctx) is not system_clock:
        click.echo(f"Đồng hồ văn phòng đặt riêng: bắt đầu từ {clock_of(ctx)().isoformat()}")
    run_hub(paths, host=host, port=port, clock=clock_of(ctx))


@cli.group(cls=KioskGroup)
def devices() -> None:
    """Thiết bị được phép kết nối máy chủ văn phòng (máy lấy số, quầy, bảng hiển thị…)."""


@devices.command("add")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice(["kiosk", "counter", "display", "rating", "admin"]),
    required=True,
    help="Vai trò của thiết bị.",
)
@click.option(
    "--counter",
    "counter_number",
    type=click.IntRange(min=1),
    default=None,
    help="Số quầy (bắt buộc với counter và rating).",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def devices_add(
    ctx: click.Context, name: str, role: str, counter_number: int | None, as_json: bool
) -> None:
    """Đăng ký thiết bị và in mã truy cập của nó (chỉ hiện một lần)."""
    from kiosk.hub.auth import register_device

    with open_office(ctx) as office:
        device, token = register_device(
            office.store, name=name, role=role, counter_number=counter_number, actor="cli"
        )
    if as_json:
        echo_json(
            {
                "id": device.id,
                "name": device.name,
                "role": device.role.value,
                "counter_number": device.counter_number,
                "token": token,
            }
        )
        return
    click.echo(f"Đã đăng ký thiết bị #{device.id} '{device.name}' ({device.role.value}).")
    click.echo(f"Mã truy cập (chỉ hiện một lần): {token}")


@devices.command("list")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def devices_list(ctx: click.Context, as_json: bool) -> None:
    """Liệt kê các thiết bị đã đăng ký."""
    from kiosk.hub.auth import list_devices

    with open_office(ctx) as office:
        rows = list_devices(office.store)
    if as_json:
        echo_json(rows)
        return
    for row in rows:
        state = "đã thu hồi" if row["revoked_at"] else "hoạt động"
        counter = f" quầy {row['counter_number']}" if row["counter_number"] else ""
        click.echo(f"#{row['id']:<4} {row['role']:<8}{counter:<9} {state:<11} {row['name']}")


@devices.command("revoke")
@click.argument("device_id", type=int)
@click.pass_context
def devices_revoke(ctx: click.Context, device_id: int) -> None:
    """Thu hồi mã truy cập của một thiết bị."""
    from kiosk.hub.auth import revoke_device

    with open_office(ctx) as office:
        revoke_device(office.store, device_id, actor="cli")
    click.echo(f"Đã thu hồi thiết bị #{device_id}.")


@cli.group(cls=KioskGroup)
def staff() -> None:
    """Tài khoản cán bộ."""


@staff.command("add")
@click.argument("username")
@click.option("--name", "full_name", required=True, help="Họ và tên cán bộ.")
@click.option(
    "--role",
    type=click.Choice(["clerk", "supervisor", "admin"]),
    default="clerk",
    show_default=True,
)
@click.option(
    "--secret",
    prompt="Mật khẩu hoặc mã PIN",
    hide_input=True,
    confirmation_prompt=True,
    help="Mật khẩu (≥ 8 ký tự) hoặc PIN (≥ 4 chữ số).",
)
@click.pass_context
def staff_add(ctx: click.Context, username: str, full_name: str, role: str, secret: str) -> None:
    """Thêm tài khoản cán bộ (mật khẩu/PIN được băm argon2)."""
    from kiosk.hub.auth import create_staff

    with open_office(ctx) as office:
        account = create_staff(
            office.store,
            username=username,
            full_name=full_name,
            secret=secret,
            role=role,
            actor="cli",
        )
    click.echo(f"Đã thêm cán bộ '{account.username}' ({account.full_name}).")


STAFF_ROLE_LABELS = {"clerk": "cán bộ", "supervisor": "lãnh đạo", "admin": "quản trị"}


@staff.command("list")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def staff_list(ctx: click.Context, as_json: bool) -> None:
    """Liệt kê tài khoản cán bộ (không bao giờ in mật khẩu/PIN)."""
    from kiosk.hub.auth import list_staff

    with open_office(ctx) as office:
        rows = list_staff(office.store)
    if as_json:
        echo_json(rows)
        return
    if not rows:
        click.echo("Chưa có tài khoản cán bộ nào. Thêm bằng: kiosk staff add TÊN --name '…'")
    for row in rows:
        if not row["active"]:
            state = "đã nghỉ"
        elif row["locked"]:
            state = f"bị khóa đến {str(row['locked_until'])[11:16]}"
        else:
            state = "đang làm việc"
        role = STAFF_ROLE_LABELS.get(row["role"], row["role"])
        click.echo(f"{row['username']:<16} {role:<9} {state:<22} {row['full_name']}")


@staff.command("set")
@click.argument("username")
@click.option("--name", "full_name", default=None, help="Họ và tên mới.")
@click.option("--role", type=click.Choice(["clerk", "supervisor", "admin"]), default=None)
@click.option(
    "--active/--left",
    "active",
    default=None,
    help="Đang làm việc trở lại / đã nghỉ (mọi phiên đăng nhập của người đó kết thúc).",
)
@click.option(
    "--reset-secret",
    is_flag=True,
    help="Đặt mật khẩu/PIN mới (hỏi hai lần); mọi phiên đăng nhập của người đó kết thúc.",
)
@click.option("--unlock", is_flag=True, help="Mở khóa tài khoản bị khóa vì nhập sai nhiều lần.")
@click.pass_context
def staff_set(
    ctx: click.Context,
    username: str,
    full_name: str | None,
    role: str | None,
    active: bool | None,
    reset_secret: bool,
    unlock: bool,
) -> None:
    """Sửa tài khoản cán bộ trên máy chủ văn phòng: tên, vai trò, nghỉ/làm lại, đặt lại
    mật khẩu/PIN, mở khóa. Dùng cả khi quản trị viên duy nhất quên PIN. Các quy tắc như màn
    hình quản trị: không cho nghỉ hay bỏ quyền tài khoản quản trị cuối cùng."""
    from kiosk.domain.errors import ValidationError
    from kiosk.hub.auth import list_staff, update_staff

    if full_name is None and role is None and active is None and not reset_secret and not unlock:
        raise ValidationError(
            "Chưa có thay đổi nào. Dùng --name, --role, --active/--left, --reset-secret "
            "hoặc --unlock (xem: kiosk staff set --help)."
        )
    login = username.strip().lower()
    with open_office(ctx) as office:
        found = [row for row in list_staff(office.store) if row["username"] == login]
        if not found:
            raise ValidationError(
                f"Không có tài khoản cán bộ '{username}'. Xem danh sách: kiosk staff list"
            )
        secret = None
        if reset_secret:  # asked once the account is known to exist
            secret = click.prompt(
                f"Mật khẩu hoặc mã PIN mới cho '{login}'", hide_input=True, confirmation_prompt=True
            )
        answer = update_staff(
            office.store,
            int(found[0]["id"]),
            full_name=full_name,
            role=role,
            active=active,
            secret=secret,
            unlock=unlock,
            actor="cli",
        )
    click.echo(f"Đã cập nhật tài khoản '{login}'.")
    ended = int(answer.get("sessions_ended", 0) or 0)
    if ended:
        click.echo(f"Đã kết thúc {ended} phiên đăng nhập: người đó cần đăng nhập lại.")
