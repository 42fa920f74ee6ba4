"""Fixtures that start real servers: llama.cpp's server on a tiny GGUF, and the scripted
``fault_server.py`` for faults a real server cannot be made to produce.

The llama.cpp server is a ``llama-server`` binary when ``scripts/build_llama_server.sh`` built one
(opt-in), else the same server code from the ``xllamacpp`` wheel the test extra installs
(``scripts/llama_server.py`` decides). Without either the tests that need it are skipped on a
workstation, and fail under CI (``CI=true``), where the setup must have installed it.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


def _load_script_module(name: str):
    """scripts/<name>.py is shared with record_session.py; scripts/ is not a package."""
    spec = importlib.util.spec_from_file_location(f"tfeic_scripts_{name}", REPO / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


llama_server_script = _load_script_module("llama_server")


def unavailable(reason: str):
    """Skip on a workstation; fail under CI, where the setup must provide everything."""
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(f"{reason} (CI=true: run scripts/setup.sh --test, which installs the test extra)")
    pytest.skip(reason)


@contextlib.contextmanager
def running_llama_server(command: list[str], model: Path, log: Path):
    try:
        with llama_server_script.serve(command, model, log) as server:
            yield server
    except RuntimeError as e:
        pytest.fail(str(e))


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
def llama_command() -> list[str]:
    command = llama_server_script.server_command()
    if command is None:
        unavailable(f"no llama.cpp server: neither the xllamacpp package (the test extra) nor a llama-server at "
                    f"{llama_server_script.binary_path()} (scripts/build_llama_server.sh)")
    return command


@pytest.fixture(scope="session")
def llama_server(llama_command, tiny_gguf, tmp_path_factory):
    """One llama-server for the session's well-behaved requests."""
    with running_llama_server(llama_command, tiny_gguf, tmp_path_factory.mktemp("llama") / "server.log") as server:
        yield server


@pytest.fixture
def doomed_llama_server(llama_command, tiny_gguf, tmp_path):
    """A llama-server of its own, for a test that kills it."""
    with running_llama_server(llama_command, tiny_gguf, tmp_path / "server.log") as server:
        yield server


@pytest.fixture
def refused_url() -> str:
    """A URL on which nothing listens (a port just freed)."""
    return f"http://127.0.0.1:{llama_server_script.free_port()}"


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
