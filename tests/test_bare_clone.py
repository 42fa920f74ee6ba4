"""The suite runs on a bare clone: nothing it needs lies outside the repository.

Copies the checkout's files (what git tracks, plus untracked files it does not ignore: what a clone of
a commit would hold) into a temporary directory with nothing beside it, then collects the whole suite
there and runs the tests that read real third-party fixtures. A test that reaches for
``../shared`` (or for anything else beside the checkout) fails here with a collection error, an
empty parameter set, or a missing file.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _tracked_files() -> list[str]:
    try:
        out = subprocess.run(["git", "-C", REPO, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                             check=True, capture_output=True).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("not a git checkout: the files of a clone are unknown")
    return [name for name in out.decode().split("\0") if name and os.path.lexists(os.path.join(REPO, name))]


@pytest.fixture(scope="module")
def bare_clone(tmp_path_factory) -> str:
    clone = str(tmp_path_factory.mktemp("alone") / "tfeic")
    for name in _tracked_files():
        source, target = os.path.join(REPO, name), os.path.join(clone, name)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        if os.path.islink(source):  # schemas/ and themes/ at the top are links into the package
            os.symlink(os.readlink(source), target)
        elif os.path.isfile(source):
            shutil.copy2(source, target)
    return clone


def _pytest(clone: str, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": clone, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([sys.executable, "-m", "pytest", "-p", "no:cacheprovider", *args], cwd=clone, env=env,
                          capture_output=True, text=True, timeout=300)


def test_the_whole_suite_collects_with_nothing_beside_the_clone(bare_clone):
    result = _pytest(bare_clone, "--collect-only", "-q")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "NOTSET" not in result.stdout, "a parametrized test found no cases (an empty fixture folder?)"
    assert "error" not in result.stdout.lower().splitlines()[-1]


def test_the_tests_that_read_real_fixtures_pass_in_the_clone(bare_clone):
    fixture_tests = ["tests/timeline/test_fixtures.py", "tests/trtllm/test_parsers.py", "tests/inference/test_probes.py",
                     "tests/kv/test_cli.py"]
    result = _pytest(bare_clone, "-q", "-x", *fixture_tests)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert " skipped" not in result.stdout.splitlines()[-1], result.stdout[-2000:]
