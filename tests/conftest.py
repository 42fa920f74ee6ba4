"""Shared test helpers: repository paths and running the CLI in-process."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"  # real third-party files (origin and licence: their SOURCES.txt)


@dataclass
class CliResult:
    code: int
    out: str
    err: str


def run_cli(*argv: str) -> CliResult:
    """Run ``tfeic`` in-process (as ``main`` would from the shell) and capture its output."""
    from tfeic.cli import main

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as e:  # argparse usage errors and --version
            code = int(e.code or 0)
    return CliResult(code, out.getvalue(), err.getvalue())


@pytest.fixture
def cli():
    return run_cli


@pytest.fixture(scope="session", autouse=True)
def session_cache(tmp_path_factory):
    """Module- and session-scoped fixtures that build (set up before ``build_cache``) use a cache of
    the test session's, never the real ``~/.cache/tfeic``."""
    patch = pytest.MonkeyPatch()
    patch.setenv("TFEIC_CACHE_DIR", str(tmp_path_factory.mktemp("session-cache")))
    yield
    patch.undo()


@pytest.fixture(autouse=True)
def build_cache(tmp_path_factory, monkeypatch):
    """Every test gets its own empty per-user cache directory (``$TFEIC_CACHE_DIR``), so no test
    reads what another cached and none writes to the real ``~/.cache/tfeic``; returns the build
    cache inside it."""
    root = tmp_path_factory.mktemp("user-cache")
    monkeypatch.setenv("TFEIC_CACHE_DIR", str(root))
    return root / "build"
