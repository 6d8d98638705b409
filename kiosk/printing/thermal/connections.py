"""Printer addresses (URIs), the connections behind them, and `deliver`: one job, one write.

Addresses:
- `tcp://host:9100`               network printer (raw port 9100), status via DLE EOT
- `usb:04b8:0202`                 USB (vendor:product, hex; needs pyusb + libusb), status
- `serial:COM3?baudrate=9600`     serial port (needs pyserial), status
- `file:/dev/usb/lp0`             a device or file, write only
- `win:Printer Name`              Windows spooler, RAW, write only (sent on close, PITFALLS.md)
- `png:FOLDER`                    virtual printer: decodes the job to PNG files in FOLDER
Options after `?` (any scheme but `win:`): `profile=TM-T88V` (python-escpos profile), `paper=58|80`
or `width=DOTS`, `timeout=SECONDS`, `status=off` for printers known never to answer DLE EOT.

Timeouts are short (3 s by default): a kiosk must not freeze on a dead printer.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import socket
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Protocol
from urllib.parse import parse_qsl

from kiosk.printing.errors import (
    PrinterAddressError,
    PrinterDisconnected,
    PrinterError,
    PrinterSetupError,
    PrinterUnreachable,
)
from kiosk.printing.thermal.escpos import PrinterModel, paper_width, printer_model
from kiosk.printing.thermal.status import PrinterStatus, check_ready

DEFAULT_TIMEOUT: Final = 3.0
STATUS_TIMEOUT: Final = 1.0
TCP_PORT: Final = 9100
SCHEMES: Final = ("tcp", "usb", "serial", "file", "win", "png")
EXAMPLES: Final = (
    "tcp://192.168.1.50:9100, usb:04b8:0202, serial:COM3?baudrate=9600, "
    "file:/dev/usb/lp0, win:Tên máy in, png:thư-mục"
)


@dataclass(frozen=True, slots=True)
class PrinterAddress:
    """A parsed printer URI."""

    uri: str
    scheme: str
    target: str
    options: Mapping[str, str] = field(default_factory=dict)

    @property
    def timeout(self) -> float:
        return float(self.options.get("timeout", DEFAULT_TIMEOUT))

    @property
    def check_status(self) -> bool:
        return self.options.get("status", "on") != "off"

    @property
    def width(self) -> int | None:
        if "width" in self.options:
            return int(self.options["width"])
        if "paper" in self.options:
            return paper_width(int(self.options["paper"]))
        return None

    def model(self) -> PrinterModel:
        """The printer model: profile and width from the options, defaults otherwise."""
        return printer_model(self.options.get("profile"), self.width)


def _bad(uri: str, reason: str) -> PrinterAddressError:
    return PrinterAddressError(
        f"Địa chỉ máy in '{uri}' không hợp lệ: {reason}. Ví dụ: {EXAMPLES}.", printer=uri
    )


def parse_printer_uri(uri: str) -> PrinterAddress:
    """A printer URI checked and split; PrinterAddressError names what is wrong."""
    text = uri.strip()
    scheme, colon, rest = text.partition(":")
    scheme = scheme.lower()
    if not colon or scheme not in SCHEMES:
        raise _bad(uri, f"loại kết nối phải là một trong {', '.join(SCHEMES)}")
    options: dict[str, str] = {}
    if scheme != "win" and "?" in rest:
        rest, query = rest.split("?", 1)
        options = dict(parse_qsl(query, keep_blank_values=True))
    if scheme == "tcp":
        rest = rest.removeprefix("//")
    if not rest:
        raise _bad(uri, "thiếu phần sau dấu ':'")
    for key in ("timeout", "width", "paper", "baudrate"):
        if key in options and not _is_number(options[key]):
            raise _bad(uri, f"tham số {key} phải là số")
    if scheme == "tcp":
        host, _, port = rest.rpartition(":") if ":" in rest else (rest, "", str(TCP_PORT))
        if not host or not port.isdigit() or not 0 < int(port) < 65536:
            raise _bad(uri, "cần dạng tcp://máy:cổng, ví dụ tcp://192.168.1.50:9100")
    if scheme == "usb":
        parts = rest.split(":")
        if len(parts) != 2 or not all(_is_hex(p) for p in parts):
            raise _bad(uri, "cần dạng usb:VID:PID bằng số hệ 16, ví dụ usb:04b8:0202")
    address = PrinterAddress(uri=text, scheme=scheme, target=rest, options=options)
    if address.timeout <= 0:
        raise _bad(uri, "timeout phải lớn hơn 0")
    return address


def _is_number(value: str) -> bool:
    try:
        float(value)
    except ValueError:
        return False
    return True


def _is_hex(value: str) -> bool:
    digits = value.lower().removeprefix("0x")
    return bool(digits) and all(c in "0123456789abcdef" for c in digits)


class Connection:
    """One open link to a printer. `send` hands a whole job over; `query_status` asks DLE EOT."""

    #: Whether the printer can answer on this link (else its status is unknown, never "OK").
    reads_status: bool = False

    def __init__(self, address: PrinterAddress) -> None:
        self.address = address

    @property
    def printer(self) -> str:
        return self.address.uri

    def open(self) -> None:
        """Connect; PrinterUnreachable when nothing answers."""

    def send(self, data: bytes) -> None:
        raise NotImplementedError

    def query_status(self, n: int) -> int | None:
        return None

    def close(self) -> None:
        """Release the link; never raises."""

    def __enter__(self) -> Connection:
        self.open()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class TcpConnection(Connection):
    reads_status = True

    def __init__(self, address: PrinterAddress) -> None:
        super().__init__(address)
        host, _, port = address.target.rpartition(":")
        self.host, self.port = (host, int(port)) if host else (address.target, TCP_PORT)
        self.sock: socket.socket | None = None

    def open(self) -> None:
        try:
            self.sock = socket.create_connection((self.host, self.port), self.address.timeout)
        except (TimeoutError, OSError) as error:
            raise PrinterUnreachable(
                f"Không kết nối được máy in {self.printer} ({_reason(error)}). Hãy kiểm tra máy "
                "in đã bật, đã cắm dây mạng và đúng địa chỉ IP.",
                printer=self.printer,
            ) from error
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def _socket(self) -> socket.socket:
        if self.sock is None:
            raise RuntimeError("connection is not open")
        return self.sock

    def send(self, data: bytes) -> None:
        sock = self._socket()
        sock.settimeout(self.address.timeout)
        try:
            sock.sendall(data)
        except (TimeoutError, OSError) as error:
            raise _lost(self.printer, error) from error

    def _drain(self, sock: socket.socket) -> None:
        # Printers answer DLE EOT-like bytes met inside raster data: drop stale answers.
        sock.setblocking(False)
        try:
            while sock.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass
        except OSError as error:
            raise _lost(self.printer, error) from error
        finally:
            sock.setblocking(True)

    def query_status(self, n: int) -> int | None:
        sock = self._socket()
        self._drain(sock)
        try:
            sock.settimeout(self.address.timeout)
            sock.sendall(bytes((0x10, 0x04, n)))
            sock.settimeout(min(STATUS_TIMEOUT, self.address.timeout))
            answer = sock.recv(1)
        except TimeoutError:
            return None
        except OSError as error:
            raise _lost(self.printer, error) from error
        if not answer:
            raise _lost(self.printer, ConnectionResetError("closed by the printer"))
        return answer[0]

    def close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.close()
            self.sock = None


def _reason(error: BaseException) -> str:
    if isinstance(error, TimeoutError):
        return "quá thời gian chờ"
    if isinstance(error, ConnectionRefusedError):
        return "máy in từ chối kết nối"
    if isinstance(error, socket.gaierror):
        return "không tìm thấy tên máy"
    return error.strerror or type(error).__name__ if isinstance(error, OSError) else str(error)


def _lost(printer: str, error: BaseException) -> PrinterDisconnected:
    return PrinterDisconnected(
        f"Mất kết nối với máy in {printer} khi đang in ({_reason(error)}). Phiếu có thể chưa in "
        "hết: hãy kiểm tra máy in rồi in lại phiếu.",
        printer=printer,
    )


class FileConnection(Connection):
    """A device node or plain file (e.g. /dev/usb/lp0); one-way."""

    def send(self, data: bytes) -> None:
        try:
            with open(self.address.target, "ab", buffering=0) as device:
                device.write(data)
        except OSError as error:
            raise PrinterUnreachable(
                f"Không ghi được tới máy in {self.printer} ({_reason(error)}). Hãy kiểm tra máy "
                "in đã cắm và quyền ghi vào thiết bị.",
                printer=self.printer,
            ) from error


class PngConnection(Connection):
    """The virtual printer: each job is decoded and saved as PNG pages in the folder."""

    #: A virtual printer is always ready: a known answer, not a guess.
    reads_status = True

    def __init__(self, address: PrinterAddress) -> None:
        super().__init__(address)
        self.folder = Path(address.target)
        self.written: list[Path] = []

    def open(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise PrinterUnreachable(
                f"Không tạo được thư mục của máy in ảo {self.folder} ({_reason(error)}).",
                printer=self.printer,
            ) from error

    def query_status(self, n: int) -> int | None:
        return 0x12

    def send(self, data: bytes) -> None:
        from kiosk.printing.thermal.decode import decode

        width = self.address.model().width
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S-%f")
        for number, page in enumerate(decode(data, width).pages, start=1):
            path = self.folder / f"print-{stamp}-{number}.png"
            page.save(path)
            self.written.append(path)


class Spooler(Protocol):
    """The Windows print spooler, behind an interface so it is testable off Windows."""

    def send_raw(self, printer_name: str, document: str, data: bytes) -> None: ...


class Win32Spooler:
    """RAW jobs through win32print (pywin32), imported only on Windows."""

    def send_raw(self, printer_name: str, document: str, data: bytes) -> None:
        if sys.platform != "win32":
            raise PrinterSetupError(
                "Địa chỉ máy in 'win:' chỉ dùng được trên Windows.", printer=printer_name
            )
        win32print: Any = importlib.import_module("win32print")

        handle = win32print.OpenPrinter(printer_name)
        try:
            win32print.StartDocPrinter(handle, 1, (document, None, "RAW"))
            try:
                win32print.StartPagePrinter(handle)
                win32print.WritePrinter(handle, data)
                win32print.EndPagePrinter(handle)
            finally:
                win32print.EndDocPrinter(handle)
        finally:
            win32print.ClosePrinter(handle)


class WinSpoolConnection(Connection):
    """Windows spooler, RAW; one-way, so the status is unknown (never assumed OK)."""

    def __init__(self, address: PrinterAddress, spooler: Spooler | None = None) -> None:
        super().__init__(address)
        self.spooler = spooler or Win32Spooler()

    def send(self, data: bytes) -> None:
        try:
            self.spooler.send_raw(self.address.target, "Một Cửa Kiosk", data)
        except PrinterError:
            raise
        except Exception as error:  # pywin32 raises pywintypes.error, not an OSError
            raise PrinterUnreachable(
                f"Bộ đệm in của Windows không nhận lệnh in cho máy {self.address.target} "
                f"({error}). Hãy kiểm tra tên máy in trong Windows.",
                printer=self.printer,
            ) from error


class _EscposDeviceConnection(Connection):
    """USB and serial through python-escpos' own classes (their libraries load lazily)."""

    reads_status = True

    def __init__(self, address: PrinterAddress) -> None:
        super().__init__(address)
        self.device: Any = None

    def _make(self) -> Any:
        raise NotImplementedError

    def open(self) -> None:
        try:
            self.device = self._make()
            self.device.open()
        except PrinterError:
            raise
        except Exception as error:  # pyusb/pyserial raise many unrelated types
            raise PrinterUnreachable(
                f"Không mở được máy in {self.printer} ({error}). Hãy kiểm tra dây cắm và "
                "trình điều khiển.",
                printer=self.printer,
            ) from error

    def send(self, data: bytes) -> None:
        try:
            self.device._raw(data)
        except Exception as error:
            raise _lost(self.printer, error) from error

    def query_status(self, n: int) -> int | None:
        try:
            self.device._raw(bytes((0x10, 0x04, n)))
            answer = self.device._read()
        except Exception as error:
            raise _lost(self.printer, error) from error
        return answer[0] if answer else None

    def close(self) -> None:
        if self.device is not None:
            with contextlib.suppress(Exception):
                self.device.close()
            self.device = None


def _missing(library: str, printer: str) -> PrinterSetupError:
    return PrinterSetupError(
        f"Máy in {printer} cần thư viện '{library}' chưa được cài. Hãy dùng kết nối mạng (tcp:) "
        "hoặc máy in Windows (win:), hoặc cài thêm thư viện này.",
        printer=printer,
    )


class UsbConnection(_EscposDeviceConnection):
    def _make(self) -> Any:
        if importlib.util.find_spec("usb") is None:
            raise _missing("pyusb", self.printer)
        from escpos.printer import Usb

        vendor, product = (int(p, 16) for p in self.address.target.split(":"))
        timeout_ms = int(self.address.timeout * 1000)
        return Usb(vendor, product, timeout=timeout_ms, profile=self.address.options.get("profile"))


class SerialConnection(_EscposDeviceConnection):
    def _make(self) -> Any:
        if importlib.util.find_spec("serial") is None:
            raise _missing("pyserial", self.printer)
        from escpos.printer import Serial

        return Serial(
            devfile=self.address.target,
            baudrate=int(self.address.options.get("baudrate", "9600")),
            timeout=self.address.timeout,
            profile=self.address.options.get("profile"),
        )


def open_connection(printer: str | PrinterAddress, *, spooler: Spooler | None = None) -> Connection:
    """The (not yet opened) connection for an address; use it as a context manager."""
    address = printer if isinstance(printer, PrinterAddress) else parse_printer_uri(printer)
    if address.scheme == "tcp":
        return TcpConnection(address)
    if address.scheme == "file":
        return FileConnection(address)
    if address.scheme == "png":
        return PngConnection(address)
    if address.scheme == "win":
        return WinSpoolConnection(address, spooler)
    if address.scheme == "usb":
        return UsbConnection(address)
    return SerialConnection(address)


@dataclass(frozen=True, slots=True)
class Delivery:
    """What happened to one job: bytes handed over, and the status around it when readable."""

    printer: str
    bytes_sent: int
    status: PrinterStatus | None
    warnings: tuple[str, ...] = ()
    pages: tuple[Path, ...] = ()


Deliver = Callable[[str, bytes], Delivery]


def deliver(printer: str, data: bytes, *, spooler: Spooler | None = None) -> Delivery:
    """Send one job in one write, checking the status before and after where the link allows.

    Raises a PrinterError subclass (unreachable, paper out, cover open, disconnected...); the
    caller (see `jobs.py`) records it so the job is never lost.
    """
    address = parse_printer_uri(printer)
    connection = open_connection(address, spooler=spooler)
    with connection:
        asks = connection.reads_status and address.check_status
        status = check_ready(connection, address.uri) if asks else None
        connection.send(data)
        if asks:
            # The answer after the last byte proves the link held to the end of the job.
            status = check_ready(connection, address.uri)
    warnings = tuple(w.message for w in status.warnings(address.uri)) if status else ()
    pages = tuple(connection.written) if isinstance(connection, PngConnection) else ()
    return Delivery(address.uri, len(data), status, warnings, pages)
