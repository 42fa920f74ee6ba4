"""mypy, with the configuration in pyproject.toml ([tool.mypy]), finds no error in ``tfeic/``.

The type hints are only worth their cost if something checks them: this test is that check, so a
change that breaks an annotation fails here like any other test. Skipped only where mypy is not
installed (the ``test`` extra installs it, so CI always runs it)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(importlib.util.find_spec("mypy") is None, reason="mypy is not installed")


def test_mypy_is_clean_on_tfeic() -> None:
    # the packages to check and every flag come from pyproject.toml; a cold run takes ~15 s,
    # a warm one (mypy's cache in .mypy_cache) about 1 s
    run = subprocess.run([sys.executable, "-m", "mypy", "--config-file", str(REPO / "pyproject.toml")],
                         cwd=REPO, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, f"mypy found errors:\n{run.stdout}{run.stderr}"
    assert "Success: no issues found" in run.stdout
