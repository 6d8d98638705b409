"""`kiosk print-test` and `kiosk selfcheck`: a printer checked in one step, the installation
checked without a network."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.cli.root import cli, echo_json, log

# --- printing ----------------------------------------------------------------------------

PRINT_TEST_KINDS = ["ticket", "receipt", "form01", "form02", "form03", "form04", "form05", "form06"]


@cli.command("print-test")
@click.option(
    "--printer",
    "uri",
    required=True,
    help="Địa chỉ máy in: tcp://máy:9100, usb:VID:PID, serial:COM3?baudrate=9600, "
    "file:/dev/usb/lp0, win:Tên máy in, png:THƯ_MỤC (máy in ảo), pdf:THƯ_MỤC (biểu mẫu).",
)
@click.option("--what", type=click.Choice(PRINT_TEST_KINDS), default="ticket", show_default=True)
@click.option(
    "--preview",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Lưu thêm bản xem trước (PNG hoặc PDF) vào thư mục này.",
)
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
def print_test_command(uri: str, what: str, preview: Path | None, as_json: bool) -> None:
    """In thử một mẫu và báo trạng thái máy in, để kiểm tra máy in trong một bước."""
    from kiosk.printing.check import print_test

    report = print_test(uri, what, out=preview)
    if as_json:
        echo_json(
            {
                "what": report.what,
                "printer": report.printer,
                "ok": report.ok,
                "message": report.message,
                "status": report.status,
                "warnings": list(report.warnings),
                "bytes_sent": report.bytes_sent,
                "preview": str(report.preview) if report.preview else None,
            }
        )
    else:
        click.echo(("Thành công: " if report.ok else "Không in được: ") + report.message)
        if report.status:
            click.echo(f"Trạng thái máy in: {report.status}")
        for warning in report.warnings:
            click.echo(f"Lưu ý: {warning}")
        if report.preview:
            click.echo(f"Xem trước: {report.preview}")
    if not report.ok:
        log.warning("print test failed: %s", report.message, extra={"printer": report.printer})
        raise SystemExit(1)


@cli.command()
@click.option("--json", "as_json", is_flag=True, help="In kết quả dạng JSON.")
def selfcheck(as_json: bool) -> None:
    """Tự kiểm tra bản cài đặt: cơ sở dữ liệu, phông chữ, in phiếu và biểu mẫu (máy in ảo),
    lịch nghỉ lễ, máy chủ văn phòng, giao diện Qt. Không cần mạng, không đụng dữ liệu thật."""
    from kiosk.selfcheck import run_checks, summary

    results = run_checks()
    if as_json:
        echo_json({"ok": all(c.ok for c in results), "checks": [c.as_json() for c in results]})
    else:
        click.echo(summary(results))
    failed = [c for c in results if not c.ok]
    for check in failed:
        log.error("selfcheck failed: %s: %s", check.name, check.detail)
    if failed:
        raise SystemExit(1)
