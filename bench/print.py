"""Printing benchmark: issuing a thermal ticket, beside python-escpos' plain text mode.

    uv run python bench/print.py            # 300 tickets per width
    uv run python bench/print.py --n 1000

Thermal: the time from "issue ticket" (calling `render_ticket` + `encode_slip` with the ticket's
data) to the last byte handed to the connection (`sendall` returned on a loopback TCP socket to a
fake printer), p50/p99, and the bytes per ticket, at 58 mm (POS-5890: QR in the raster) and 80 mm
(TM-T20II: native QR). Beside it, in the same run, python-escpos' plain text mode for the same
content (`set` + `textln` + native QR + cut) on the same socket: the floor a raster job competes
with — and the one that prints Vietnamese through code pages (as `?` on most printers).
Goals (issue 5): p99 ≤ 30 ms per ticket, ≤ 25 KB per 80 mm ticket.
"""

from __future__ import annotations

import argparse
import socket
import statistics
import sys
import time
import warnings
from collections.abc import Callable
from datetime import datetime, timedelta

from escpos.printer import Dummy

from kiosk.clock import VN_TZ
from kiosk.printing.thermal.escpos import encode_slip, printer_model
from kiosk.printing.thermal.fakeprinter import FakePrinter
from kiosk.printing.thermal.layouts import (
    WIDTH_58MM,
    WIDTH_80MM,
    TicketData,
    format_datetime,
    queue_follow_url,
    render_ticket,
)

GOAL_P99_MS = 30.0
GOAL_BYTES_80MM = 25_000


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))
    return ordered[index]


def ticket(i: int) -> TicketData:
    return TicketData(
        office_name="UBND phường Hoàn Kiếm",
        field_name=("Hộ tịch – Chứng thực", "Đất đai", "Đăng ký kinh doanh")[i % 3],
        number=f"{'ABC'[i % 3]}{i % 1000:03d}",
        issued_at=datetime(2026, 3, 16, 7, 30, tzinfo=VN_TZ) + timedelta(seconds=40 * i),
        people_ahead=i % 17,
        estimated_wait_minutes=(i % 17) * 4,
        follow_url=queue_follow_url("https://motcua.hoankiem.gov.vn/theo-doi", 18000 + i),
    )


def raster_job(data: TicketData, width: int, profile: str) -> bytes:
    return encode_slip(render_ticket(data, width), printer_model(profile, width))


def text_job(data: TicketData, width: int, profile: str) -> bytes:
    printer = Dummy(profile=profile)
    printer.hw("INIT")
    printer.set(align="center", bold=True)
    printer.textln(data.office_name.upper())
    printer.set(align="center", bold=False)
    printer.textln(data.unit_name)
    printer.textln(data.field_name)
    printer.set(align="center", bold=True, double_height=True, double_width=True)
    printer.textln(data.number)
    printer.set(align="left", bold=False, normal_textsize=True)
    printer.textln(f"Giờ lấy số: {format_datetime(data.issued_at)}")
    printer.textln(f"Số người chờ trước: {data.people_ahead}")
    printer.textln(f"Thời gian chờ dự kiến: khoảng {data.estimated_wait_minutes} phút")
    if data.follow_url:
        printer.qr(data.follow_url, size=6 if width == WIDTH_80MM else 4, native=True)
    printer.textln(data.notice)
    printer.cut()
    return bytes(printer.output)


def run(
    build: Callable[[TicketData, int, str], bytes], width: int, profile: str, n: int
) -> tuple[list[float], list[int]]:
    times: list[float] = []
    sizes: list[int] = []
    with FakePrinter() as printer:
        sock = socket.create_connection(("127.0.0.1", printer.port), timeout=3)
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        try:
            for i in range(n + 20):
                data = ticket(i)
                start = time.perf_counter()
                job = build(data, width, profile)
                sock.sendall(job)
                elapsed = (time.perf_counter() - start) * 1000
                if i >= 20:  # warm-up: font loading, profile database
                    times.append(elapsed)
                    sizes.append(len(job))
        finally:
            sock.close()
    return times, sizes


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300, help="tickets per width (default 300)")
    args = parser.parse_args(argv)
    # python-escpos' text mode warns about code pages it cannot encode Vietnamese with.
    warnings.simplefilter("ignore")
    ok = True
    print(f"thermal ticket, {args.n} per row, render+encode → last byte on loopback TCP")
    print(f"{'mode':<34}{'p50 ms':>8}{'p99 ms':>8}{'bytes p50':>11}{'bytes max':>11}")
    for width, profile in ((WIDTH_58MM, "POS-5890"), (WIDTH_80MM, "TM-T20II")):
        for name, build in (("raster (ours)", raster_job), ("python-escpos text", text_job)):
            times, sizes = run(build, width, profile, args.n)
            p50, p99 = percentile(times, 0.5), percentile(times, 0.99)
            label = f"{width} dots {profile}, {name}"
            print(
                f"{label:<34}{p50:>8.2f}{p99:>8.2f}"
                f"{int(statistics.median(sizes)):>11,}{max(sizes):>11,}"
            )
            if build is raster_job:
                ok &= p99 <= GOAL_P99_MS
                if width == WIDTH_80MM:
                    ok &= max(sizes) <= GOAL_BYTES_80MM
    print(
        f"goals: p99 ≤ {GOAL_P99_MS:.0f} ms per ticket, ≤ {GOAL_BYTES_80MM:,} bytes per 80 mm "
        f"ticket: {'met' if ok else 'NOT MET'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
