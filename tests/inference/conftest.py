"""Fixtures that start real servers: llama.cpp's ``llama-server`` on a tiny GGUF, and the scripted
``fault_server.py`` for faults a real server cannot be made to produce.

llama-server comes from ``scripts/build_llama_server.sh`` (cached outside the repo). Without it the
tests that need it are skipped on a workstation, and fail under CI (``CI=true``), where the setup
must have built it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

REPO = Path(__file__).resolve().parents[2]
LLAMA_VERSION = "0.3.36"
START_TIMEOUT_S = 60.0


def llama_server_binary() -> Path:
    """Where build_llama_server.sh leaves the binary (``TFEIC_LLAMA_SERVER`` overrides)."""
    if os.environ.get("TFEIC_LLAMA_SERVER"):
        return Path(os.environ["TFEIC_LLAMA_SERVER"])
    cache = Path(os.environ.get("TFEIC_LLAMA_CACHE", Path.home() / ".cache" / "tfeic" / "llama-server"))
    return cache / LLAMA_VERSION / "bin" / "llama-server"


def unavailable(reason: str):
    """Skip on a workstation; fail under CI, where the setup must provide everything."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: run scripts/build_llama_server.sh and install the test extra)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LlamaServer:
    process: subprocess.Popen
    url: str

    def kill(self) -> None:
        """SIGKILL: the server dies as in a crash, mid-whatever it was doing."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


@contextlib.contextmanager
def running_llama_server(binary: Path, model: Path, log: Path):
    port = free_port()
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [str(binary), "-m", str(model), "--host", "127.0.0.1", "--port", str(port), "--metrics",
             "-c", "4096", "-np", "1", "-t", "1", "--no-warmup"],
            stdout=log_file, stderr=subprocess.STDOUT)
    server = LlamaServer(process, f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama-server exited with {process.returncode}:\n{log.read_text(errors='replace')[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(server.url + "/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                pytest.fail(f"llama-server not healthy after {START_TIMEOUT_S} s:\n{log.read_text(errors='replace')[-3000:]}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


@pytest.fixture(scope="session")
def tiny_gguf(tmp_path_factory) -> Path:
    try:
        import gguf  # noqa: F401
        import tokenizers  # noqa: F401
    except ImportError as e:
        unavailable(f"the tiny test model needs the gguf and tokenizers packages ({e})")
    out = tmp_path_factory.mktemp("model") / "tiny.gguf"
    subprocess.run([sys.executable, str(REPO / "scripts" / "make_tiny_gguf.py"), str(out)], check=True)
    return out


@pytest.fixture(scope="session")
def llama_binary() -> Path:
    binary = llama_server_binary()
    if not os.access(binary, os.X_OK):
        unavailable(f"no llama-server at {binary} (build it with scripts/build_llama_server.sh)")
    return binary


@pytest.fixture(scope="session")
def llama_server(llama_binary, tiny_gguf, tmp_path_factory) -> LlamaServer:
    """One llama-server for the session's well-behaved requests."""
    with running_llama_server(llama_binary, tiny_gguf, tmp_path_factory.mktemp("llama") / "server.log") as server:
        yield server


@pytest.fixture
def doomed_llama_server(llama_binary, tiny_gguf, tmp_path) -> LlamaServer:
    """A llama-server of its own, for a test that kills it."""
    with running_llama_server(llama_binary, tiny_gguf, tmp_path / "server.log") as server:
        yield server


@pytest.fixture
def refused_url() -> str:
    """A URL on which nothing listens (a port just freed)."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def fault_server():
    """Factory: ``fault_server("cut")`` starts tests/inference/fault_server.py and returns its URL."""
    processes = []

    def start(scenario: str) -> str:
        process = subprocess.Popen([sys.executable, str(Path(__file__).with_name("fault_server.py")), scenario],
                                   stdout=subprocess.PIPE, text=True)
        processes.append(process)
        return f"http://127.0.0.1:{int(process.stdout.readline())}"

    yield start
    for process in processes:
        process.kill()
        process.wait()
        process.stdout.close()
