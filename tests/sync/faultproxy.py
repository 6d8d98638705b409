"""A fault-injecting HTTP proxy of our own, between a site and the district server on loopback.

It reads one whole request per connection (headers and Content-Length body), asks the upstream
to close after answering, and then misbehaves as chosen for that connection:

- PASS        forwards the request and the whole answer;
- DROP        closes the connection before the request reaches the server;
- LOSE_ANSWER forwards the request (the server stores it) but never returns the answer;
- CUT         forwards the request and cuts the answer at a random byte;
- DELAY       waits a random moment before forwarding, then passes;
- DUPLICATE   sends the request to the server twice at once, returns one answer;
- THROTTLE    answers 503 with Retry-After itself, without reaching the server.

Faults are drawn per connection from weights (seeded), or taken in order from a script first.
"""

from __future__ import annotations

import contextlib
import random
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from enum import StrEnum


class Fault(StrEnum):
    PASS = "pass"
    DROP = "drop"
    LOSE_ANSWER = "lose_answer"
    CUT = "cut"
    DELAY = "delay"
    DUPLICATE = "duplicate"
    THROTTLE = "throttle"


HEALTHY: Mapping[Fault, float] = {Fault.PASS: 1.0}
STORMY: Mapping[Fault, float] = {
    Fault.PASS: 3.0,
    Fault.DROP: 1.0,
    Fault.LOSE_ANSWER: 1.0,
    Fault.CUT: 1.0,
    Fault.DELAY: 1.0,
    Fault.DUPLICATE: 1.0,
}

_TIMEOUT = 20.0


def _read_request(conn: socket.socket) -> bytes | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.split(b"\r\n")
    length = 0
    kept = [lines[0]]
    for line in lines[1:]:
        name, _, value = line.partition(b":")
        lowered = name.strip().lower()
        if lowered == b"content-length":
            length = int(value.strip())
        if lowered in (b"connection", b"keep-alive"):
            continue
        kept.append(line)
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            return None
        body += chunk
    kept.append(b"Connection: close")
    return b"\r\n".join(kept) + b"\r\n\r\n" + body


class FaultProxy:
    """A loopback proxy to `127.0.0.1:upstream_port`; `port` is where the site connects."""

    def __init__(
        self,
        upstream_port: int,
        *,
        seed: int = 0,
        weights: Mapping[Fault, float] = HEALTHY,
        delay_max: float = 0.2,
        retry_after: int = 7,
    ) -> None:
        self.upstream_port = upstream_port
        self.delay_max = delay_max
        self.retry_after = retry_after
        self.counts: Counter[Fault] = Counter()
        self._rng = random.Random(seed)
        self._weights = dict(weights)
        self._script: list[Fault] = []
        self._lock = threading.Lock()
        self._listener = socket.socket()
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(128)
        self.port: int = self._listener.getsockname()[1]
        self._closed = False
        self._thread = threading.Thread(target=self._accept, name="faultproxy", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._closed = True
        self._listener.close()
        self._thread.join(5)

    def __enter__(self) -> FaultProxy:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def set_weights(self, weights: Mapping[Fault, float]) -> None:
        with self._lock:
            self._weights = dict(weights)

    def script(self, faults: Iterable[Fault]) -> None:
        """The next connections get these faults, in order, before the weights apply again."""
        with self._lock:
            self._script.extend(faults)

    def _choose(self) -> tuple[Fault, float]:
        with self._lock:
            if self._script:
                fault = self._script.pop(0)
            else:
                faults = list(self._weights)
                fault = self._rng.choices(faults, [self._weights[f] for f in faults])[0]
            self.counts[fault] += 1
            return fault, self._rng.random()

    def _accept(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _upstream(self, request: bytes) -> bytes:
        with socket.create_connection(("127.0.0.1", self.upstream_port), timeout=_TIMEOUT) as up:
            up.sendall(request)
            chunks = []
            while True:
                chunk = up.recv(65536)
                if not chunk:
                    return b"".join(chunks)
                chunks.append(chunk)

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(_TIMEOUT)
        try:
            request = _read_request(conn)
            if request is None:
                return
            fault, draw = self._choose()
            if fault is Fault.DROP:
                return
            if fault is Fault.THROTTLE:
                conn.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nRetry-After: "
                    + str(self.retry_after).encode()
                    + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                )
                return
            if fault is Fault.DELAY:
                time.sleep(draw * self.delay_max)
            twin: threading.Thread | None = None
            if fault is Fault.DUPLICATE:
                twin = threading.Thread(target=self._quietly, args=(request,), daemon=True)
                twin.start()
            answer = self._upstream(request)
            if twin is not None:
                twin.join(_TIMEOUT)
            if fault is Fault.LOSE_ANSWER:
                return
            if fault is Fault.CUT:
                answer = answer[: max(1, int(len(answer) * draw))]
            conn.sendall(answer)
        except OSError:
            pass
        finally:
            conn.close()

    def _quietly(self, request: bytes) -> None:
        with contextlib.suppress(OSError):
            self._upstream(request)
