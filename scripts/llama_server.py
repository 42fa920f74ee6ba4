"""Start llama.cpp's server on a model and wait until it is healthy.

Shared by the inference tests' fixtures and ``record_session.py``, so both run the server the same
way: 127.0.0.1 on a free port, ``--metrics`` for the Prometheus endpoint, one slot, one thread (the
test machines are small), a fixed model alias so snapshots name the same model every time.

Which server: a ``llama-server`` binary when one is there (``TFEIC_LLAMA_SERVER``, or the one
``build_llama_server.sh`` caches: an opt-in build of some minutes), else llama.cpp's same server code
from the prebuilt ``xllamacpp`` wheel (the test extra installs it; ``xllamacpp_server.py`` starts it
with the same flags), so the quick start needs no C++ build.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

VERSION = "0.3.36"  # the llama-cpp-python sdist that build_llama_server.sh builds from
ALIAS = "tfeic-tiny-llama"
START_TIMEOUT_S = 60.0


def binary_path() -> Path:
    """Where build_llama_server.sh leaves the binary (``TFEIC_LLAMA_SERVER`` overrides)."""
    if os.environ.get("TFEIC_LLAMA_SERVER"):
        return Path(os.environ["TFEIC_LLAMA_SERVER"])
    cache = Path(os.environ.get("TFEIC_LLAMA_CACHE", Path.home() / ".cache" / "tfeic" / "llama-server"))
    return cache / VERSION / "bin" / "llama-server"


def server_command() -> list[str] | None:
    """How to start the server: the built binary if there is one, else the xllamacpp wheel's server;
    None when neither is installed."""
    binary = binary_path()
    if os.environ.get("TFEIC_LLAMA_SERVER") or binary.is_file():
        return [str(binary)]
    if importlib.util.find_spec("xllamacpp") is None:
        return None
    return [sys.executable, str(Path(__file__).resolve().parent / "xllamacpp_server.py")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path

    def kill(self) -> None:
        """SIGKILL: the server dies as in a crash, in the middle of whatever it was doing."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def log_tail(self) -> str:
        return self.log.read_text(errors="replace")[-3000:]


@contextlib.contextmanager
def serve(command: list[str], model: Path, log: Path, context: int = 4096):
    """Run the server (``server_command()``) until the block ends; RuntimeError (with its log) if it
    never gets healthy."""
    import httpx

    port = free_port()
    with open(log, "wb") as log_file:
        process = subprocess.Popen(
            [*command, "-m", str(model), "--alias", ALIAS, "--host", "127.0.0.1", "--port", str(port),
             "--metrics", "-c", str(context), "-np", "1", "-t", "1", "--no-warmup"],
            stdout=log_file, stderr=subprocess.STDOUT)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + START_TIMEOUT_S
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"llama-server exited with {process.returncode}:\n{server.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(server.url + "/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"llama-server not healthy after {START_TIMEOUT_S:g} s:\n{server.log_tail()}")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()


if __name__ == "__main__":  # which server the tests will start (setup.sh prints it in its summary)
    print(" ".join(server_command() or ["none: install the test extra (xllamacpp)"]))
