"""Golden diagnostics: each ``golden/<case>.yaml`` must produce exactly ``golden/<case>.expected``.

A case's first line may be ``# args: ...`` (``--set`` and shorthand flags, parsed by the same argparse
helpers the CLI uses). A deck that validates produces ``ok``. Regenerate after an intended change
with ``TFEIC_UPDATE_GOLDEN=1 python3 -m pytest tests/deck/test_spec_golden.py`` and review the diff.
"""

from __future__ import annotations

import argparse
import os
import pathlib
import shlex
import time

import pytest

from tfeic.core.diagnostics import SpecError
from tfeic.cli.overrides import add_override_arguments, override_values
from tfeic.deck.validate import load_deck

GOLDEN = pathlib.Path(__file__).parent / "golden"
CASES = sorted(p.stem for p in GOLDEN.glob("*.yaml"))


def _arguments(case: str) -> tuple[list[str], dict]:
    first = (GOLDEN / f"{case}.yaml").read_text().splitlines()[0]
    parser = argparse.ArgumentParser()
    add_override_arguments(parser)
    argv = shlex.split(first.removeprefix("# args:")) if first.startswith("# args:") else []
    return override_values(parser.parse_args(argv))


def _diagnostics(case: str, registries: dict) -> str:
    overrides, shorthands = _arguments(case)
    try:
        load_deck(f"{case}.yaml", overrides, shorthands, **registries)
    except SpecError as e:
        return "".join(d.format() + "\n" for d in e.diagnostics)
    return "ok\n"


@pytest.mark.parametrize("case", CASES)
def test_golden(case, registries, monkeypatch):
    monkeypatch.chdir(GOLDEN)  # paths in messages are shown as given: here, the bare file name
    actual = _diagnostics(case, registries)
    expected_file = GOLDEN / f"{case}.expected"
    if os.environ.get("TFEIC_UPDATE_GOLDEN"):
        expected_file.write_text(actual)
    assert actual == expected_file.read_text()


def test_billion_laughs_fails_fast(registries, monkeypatch):
    monkeypatch.chdir(GOLDEN)
    start = time.perf_counter()
    with pytest.raises(SpecError):
        load_deck("billion_laughs.yaml", **registries)
    assert time.perf_counter() - start < 10.0  # not a speed target: an expanded billion laughs never ends
