"""A fake network ESC/POS printer on loopback, for tests, the benchmark and demos.

It answers `DLE EOT n` with the status bytes it is given (outside raster data, as printers do
when real-time commands are not embedded in images), keeps every other byte it receives, and can
be told to stay silent or to hang up after some bytes of a job.
"""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
from types import TracebackType
from typing import Final

READY: Final = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x12}
PAPER_OUT: Final = {1: 0x1A, 2: 0x32, 3: 0x12, 4: 0x72}
PAPER_NEAR_END: Final = {1: 0x12, 2: 0x12, 3: 0x12, 4: 0x1E}
COVER_OPEN: Final = {1: 0x1A, 2: 0x16, 3: 0x12, 4: 0x12}


class FakePrinter:
    """`with FakePrinter() as printer:` then print to `printer.uri`."""

    def __init__(
        self,
        status: dict[int, int] | None = None,
        *,
        silent: bool = False,
        hang_up_after: int | None = None,
    ) -> None:
        self.status = dict(status or READY)
        self.silent = silent
        self.hang_up_after = hang_up_after
        self.received = bytearray()
        self.jobs: list[bytes] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._stop = threading.Event()

    @property
    def uri(self) -> str:
        return f"tcp://127.0.0.1:{self.port}?timeout=2"

    def __enter__(self) -> FakePrinter:
        self._thread.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        with contextlib.suppress(OSError):
            # Wake accept() so the thread ends.
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        self._thread.join(timeout=5)
        self._server.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            # A job already queued when the test ends is still read, like a real printer would.
            with client:
                self._talk(client)

    def _talk(self, client: socket.socket) -> None:
        job = bytearray()
        pending = b""
        skip = 0  # raster bytes still to come: not parsed for real-time commands
        while True:
            try:
                chunk = client.recv(65536)
            except OSError:
                break
            if not chunk:
                break
            data = pending + chunk
            pending = b""
            i = 0
            while i < len(data):
                if skip:
                    take = min(skip, len(data) - i)
                    job += data[i : i + take]
                    i += take
                    skip -= take
                    continue
                if data[i] == 0x10:
                    if len(data) - i < 3:
                        pending = data[i:]
                        break
                    if data[i + 1] == 0x04:
                        if not self.silent:
                            client.sendall(bytes((self.status.get(data[i + 2], 0x12),)))
                        i += 3
                        continue
                if data[i] == 0x1D and data[i + 1 : i + 2] == b"v":
                    if len(data) - i < 8:
                        pending = data[i:]
                        break
                    head = data[i : i + 8]
                    skip = (head[4] | head[5] << 8) * (head[6] | head[7] << 8)
                    job += head
                    i += 8
                    continue
                job.append(data[i])
                i += 1
            if self.hang_up_after is not None and len(job) >= self.hang_up_after:
                # Abortive close (RST), like a printer switched off mid-job.
                client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                break
        if job:
            self.jobs.append(bytes(job))
            self.received += job
