"""`kiosk sync`: the link with the district server (status, sync now, the sync secret)."""

from __future__ import annotations

import click

from kiosk.cli.root import KioskGroup, cli, echo_json, open_office, paths_of

# --- sync with the district server ------------------------------------------------------------


@cli.group(cls=KioskGroup)
def sync() -> None:
    """Đồng bộ với máy chủ huyện: trạng thái, đồng bộ ngay, khóa đồng bộ."""


@sync.command("status")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def sync_status_command(ctx: click.Context, as_json: bool) -> None:
    """Đã đồng bộ hay còn bao nhiêu sự kiện chưa gửi, lần thành công và lỗi gần nhất."""
    from kiosk.sync.status import sync_status

    with open_office(ctx) as office:
        status = sync_status(office.store)
        url = office.settings.district_url
        site_id = office.store.site_id
    if as_json:
        echo_json({"site_id": site_id, "district_url": url, **status.as_json()})
        return
    click.echo(f"Mã văn phòng (site id): {site_id}")
    click.echo(f"Máy chủ huyện: {url or '(chưa cài đặt)'}")
    click.echo(f"Trạng thái: {status.label}")
    click.echo(f"Đã xác nhận đến sự kiện số {status.acked} (sự kiện mới nhất: {status.last_seq})")
    if status.last_success_at:
        click.echo(f"Lần đồng bộ thành công gần nhất: {status.last_success_at}")
    if status.last_error:
        click.echo(f"Lỗi gần nhất ({status.last_error_at}): {status.last_error}")
    if status.alert:
        click.echo(f"Cảnh báo: {status.alert}", err=True)


@sync.command("now")
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
@click.pass_context
def sync_now_command(ctx: click.Context, as_json: bool) -> None:
    """Đồng bộ ngay: gửi mọi sự kiện chưa gửi, tải danh mục và lịch làm việc mới."""
    from kiosk.sync.status import sync_status
    from kiosk.sync.worker import sync_now

    with open_office(ctx) as office:
        report = sync_now(office.store, office.paths, office.settings)
        status = sync_status(office.store)
    if as_json:
        echo_json(
            {
                "pushed": report.pushed,
                "batches": report.batches,
                "acked": report.mark,
                "pulled": list(report.pulled),
                "status": status.as_json(),
            }
        )
        return
    click.echo(f"Đã gửi {report.pushed} sự kiện ({report.batches} lô); xác nhận đến {report.mark}.")
    if report.pulled:
        names = {"catalogue": "danh mục thủ tục", "calendar": "lịch làm việc"}
        click.echo("Đã cập nhật: " + ", ".join(names.get(p, p) for p in report.pulled))
    click.echo(f"Trạng thái: {status.label}")


@sync.command("secret")
@click.argument("secret")
@click.pass_context
def sync_secret_command(ctx: click.Context, secret: str) -> None:
    """Lưu khóa đồng bộ do máy chủ huyện cấp (tệp sync-secret.txt, chỉ người dùng này đọc được)."""
    from kiosk.sync.client import write_secret

    secret = secret.strip()
    if len(secret) < 16:
        raise click.BadParameter("khóa đồng bộ phải có ít nhất 16 ký tự", param_hint="SECRET")
    target = write_secret(paths_of(ctx).data_dir, secret)
    click.echo(f"Đã lưu khóa đồng bộ vào {target}")
