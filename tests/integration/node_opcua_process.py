"""An OPC UA server not written here (node-opcua, tests/interop/node_opcua) as an OS process on
a loopback port, so the client is tried against another vendor's sampling, certificate store
and login checks (issue 22 item 4).

`.ci/run` installs Node.js and the pinned node-opcua (`npm ci`); where they are missing the
tests skip with the command that installs them, except in CI, where they must run.
"""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import threading
import time
from pathlib import Path

import pytest

from tests.integration.simulator_process import START_TIMEOUT_S, free_port

SERVER_DIR = Path(__file__).resolve().parents[1] / "interop" / "node_opcua"
NAMESPACE = "urn:wrenchbook:interop:node-opcua"
INSTALL = "npm ci --prefix tests/interop/node_opcua"


def require_node_opcua() -> str:
    """The `node` binary; skips (fails in CI) when Node.js or the package is not installed."""
    node = shutil.which("node")
    problem = ""
    if node is None:
        problem = "Node.js is not installed (Debian: apt-get install nodejs npm)"
    elif not (SERVER_DIR / "node_modules" / "node-opcua").is_dir():
        problem = f"node-opcua is not installed: {INSTALL}"
    if problem:
        if os.environ.get("WRENCHBOOK_REQUIRE_INTEROP"):
            pytest.fail(problem)
        pytest.skip(problem)
    assert node is not None
    return node


class NodeOpcUaServer:
    """`node server.js …`; start() returns once it listens. Same port and PKI folder on a
    restart, so a client that trusted it once trusts it again."""

    def __init__(self, pki: Path, *args: str, port: int | None = None) -> None:
        self.node = require_node_opcua()
        self.pki = pki
        self.port = port or free_port()
        self.args = args
        self.process: subprocess.Popen[str] | None = None
        self._lines: queue.Queue[str] = queue.Queue()
        self.endpoint = f"opc.tcp://127.0.0.1:{self.port}"

    def start(self) -> NodeOpcUaServer:
        self.process = subprocess.Popen(
            [self.node, "server.js", "--port", str(self.port), "--pki", str(self.pki),
             *self.args],
            cwd=SERVER_DIR,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )  # fmt: skip
        self._lines = queue.Queue()
        threading.Thread(target=self._read, args=(self.process, self._lines), daemon=True).start()
        if not self._line_starting("endpoint "):
            self.kill()
            raise RuntimeError("node-opcua server did not start")
        return self

    def trust_rejected_clients(self) -> int:
        """What the server's administrator does: trust every client certificate refused."""
        assert self.process is not None
        assert self.process.stdin is not None
        self.process.stdin.write("trust-rejected\n")
        self.process.stdin.flush()
        answer = self._line_starting("trusted ")
        assert answer, "the server did not answer trust-rejected"
        return int(answer.split()[1])

    def kill(self) -> None:
        """Gone without a goodbye, as a crashed or powered-off server is."""
        if self.process is None:
            return
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=15)
        self._close()

    def stop(self) -> None:
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
        self._close()

    def _close(self) -> None:
        assert self.process is not None
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self.process = None

    @staticmethod
    def _read(process: subprocess.Popen[str], lines: queue.Queue[str]) -> None:
        """The server's stdout, line by line, until it closes ("" marks the end)."""
        assert process.stdout is not None
        try:
            for line in process.stdout:
                lines.put(line)
        except ValueError:  # closed by stop() while reading
            pass
        lines.put("")

    def _line_starting(self, prefix: str) -> str:
        """The next stdout line with `prefix` (node-opcua's own log lines are skipped)."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while (left := deadline - time.monotonic()) > 0:
            try:
                line = self._lines.get(timeout=left)
            except queue.Empty:
                break
            if not line:
                return ""
            if line.startswith(prefix):
                return line.strip()
        return ""
