"""Starting and stopping our own servers (hub, district) as real processes on loopback."""

from __future__ import annotations

import signal
import socket
import subprocess
import time
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_healthy(
    process: subprocess.Popen[bytes], url: str, log_file: Path, what: str, timeout: float
) -> None:
    """Return once `url`/api/health answers 200; fail with the process's output if it exits."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log_file.read_text(errors="replace")
            raise RuntimeError(f"{what} exited with {process.returncode}:\n{output}")
        try:
            if httpx.get(f"{url}/api/health", timeout=0.5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{what} did not answer in time")


def kill(process: subprocess.Popen[bytes] | None) -> None:
    """SIGKILL: no shutdown code runs, as when the power goes."""
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGKILL)
        process.wait(10)


def stop(process: subprocess.Popen[bytes] | None) -> None:
    """SIGTERM and wait; SIGKILL if it does not stop in 10 s."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            kill(process)
