"""Starting and stopping the servers the tests run (Oxigraph, Virtuoso, the endpoint): one way
for all."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import time
import urllib.request


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_answers(
    process: subprocess.Popen[bytes], query_url: str, *, timeout: float, max_delay: float
) -> bool:
    """Poll ``query_url`` with ``ASK {}`` until it answers 200 (true), the process exits or
    ``timeout`` seconds pass (false); never through a proxy."""
    probe = f"{query_url}?query=ASK%7B%7D"
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + timeout
    delay = 0.01
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return False  # exited (a port was taken, say)
        with contextlib.suppress(OSError), opener.open(probe, timeout=5) as answer:
            if answer.status == 200:
                return True
        time.sleep(delay)
        delay = min(delay * 2, max_delay)
    return False


def stop(process: subprocess.Popen[bytes] | None, *, timeout: float) -> None:
    """SIGTERM, wait up to ``timeout`` seconds, then SIGKILL."""
    if process is not None and process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
