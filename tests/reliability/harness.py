"""The contract every reliability case checks, and the bounds that keep the fuzzing fast.

A case is one ``tfeic`` command line run in-process (``tfeic.cli.main``, through the ``cli`` fixture
of tests/conftest.py, passed in as ``cli``) under a wall-clock bound.
Whatever the input, it must end with a documented exit code (0, 2, 3, 4; exit 1 is an internal
error and always a bug), print no traceback, print each diagnostic as one line that starts with a
path, leave no temporary file behind, and leave an existing output file byte for byte as it was
unless the build succeeded.

Hypothesis settings come from two profiles: ``tfeic-ci`` (the default: a few examples per
category, so the whole suite runs in about a minute on 2 cores) and ``tfeic-long``
(``TFEIC_FUZZ=long``: ``LONG_FACTOR`` times as many). They are applied per test through
``fuzz(n)`` and never loaded globally, so other suites' hypothesis settings are unaffected.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
from pathlib import Path

from hypothesis import HealthCheck, settings


DOCUMENTED_CODES = {0, 2, 3, 4}
CASE_SECONDS = 20  # a case that takes longer has hung (every real case here takes well under 2 s)
LONG_FACTOR = 20
# ``path:line:col: error: message`` or ``path: error: message``; usage errors are ``tfeic kv locate: error: ...``
DIAGNOSTIC_LINE = re.compile(r"^(?:\S[^:]*?(?::\d+:\d+)?|tfeic(?: [\w-]+)*): (?:error|warning): \S.*$")

settings.register_profile("tfeic-ci", deadline=None, derandomize=True, database=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                                                 HealthCheck.function_scoped_fixture])
settings.register_profile("tfeic-long", parent=settings.get_profile("tfeic-ci"), derandomize=False)
PROFILE = "tfeic-long" if os.environ.get("TFEIC_FUZZ") == "long" else "tfeic-ci"


def examples(n: int) -> int:
    """Examples a category runs under the active profile (docs/reliability.md counts these)."""
    return n * LONG_FACTOR if PROFILE == "tfeic-long" else n


def fuzz(n: int) -> settings:
    """Hypothesis settings for a category of ``n`` examples in CI."""
    return settings(settings.get_profile(PROFILE), max_examples=examples(n))


class Hang(BaseException):
    """Raised in the main thread when a case exceeds its bound; a BaseException so that the CLI's
    ``except Exception`` cannot turn a hang into an ordinary exit code."""


@contextlib.contextmanager
def time_bound(seconds: float = CASE_SECONDS):
    def expire(signum, frame):
        raise Hang(f"case still running after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def assert_clean_exit(result) -> None:
    """A documented exit code, no traceback, and (on failure) only one-line diagnostics."""
    assert result.code in DOCUMENTED_CODES, f"exit {result.code}:\n{result.err}"
    assert "Traceback" not in result.err and "internal error" not in result.err, result.err
    if result.code:
        lines = [line for line in result.err.split("\n") if line.strip()]  # only newlines end a line
        assert lines, "a failure must say why"
        for line in lines:
            assert DIAGNOSTIC_LINE.match(line), f"not a one-line diagnostic: {line!r}\n{result.err}"


def build(cli, spec: Path, output: Path, *extra: str, seconds: float = CASE_SECONDS):
    """``tfeic build`` with the contract checked; an existing ``output`` survives any failure."""
    before = output.read_bytes() if output.exists() else None
    leftovers = set(output.parent.glob(".*.tmp"))
    with time_bound(seconds):
        result = cli("build", str(spec), "-o", str(output), "--no-cache", "-q", *extra)
    assert_clean_exit(result)
    assert set(output.parent.glob(".*.tmp")) == leftovers, "a temporary output file was left behind"
    if result.code:
        assert (output.read_bytes() if output.exists() else None) == before, "a failed build touched the output"
    else:
        assert output.read_bytes()[:2] == b"PK", "a successful build writes a .pptx (zip)"
    return result


def run_checked(cli, *argv: str, seconds: float = CASE_SECONDS):
    """Any other ``tfeic`` command with the same contract."""
    with time_bound(seconds):
        result = cli(*argv)
    assert_clean_exit(result)
    return result
