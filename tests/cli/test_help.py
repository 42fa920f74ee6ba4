"""``tfeic help``: every directive and source documented from its schema, with an example it accepts."""

from __future__ import annotations

import os
import pathlib
import subprocess
import sys

import pytest
import yaml
from jsonschema import Draft202012Validator

from tfeic.directives import DIRECTIVES
from tfeic.sources import SOURCES
from tfeic.deck.schema import slide_schema, source_schema

REPO = pathlib.Path(__file__).resolve().parents[2]
ITEMS = [("directive", d) for d in DIRECTIVES] + [("source", s) for s in SOURCES]


def test_docs_reference_is_current():
    # a fresh process: other tests register directives of their own in this one
    result = subprocess.run([sys.executable, "-m", "tfeic", "help", "--markdown"], capture_output=True, text=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    assert (REPO / "docs" / "reference.md").read_text() == result.stdout, "run `tfeic help --markdown > docs/reference.md`"


@pytest.mark.parametrize("kind,item", ITEMS, ids=[f"{k}-{i.name}" for k, i in ITEMS])
def test_every_option_is_listed_and_the_example_is_accepted(cli, kind, item):
    result = cli("help", item.name)
    assert result.code == 0, result.err
    section = result.out.split(f"{item.name} ({kind}):", 1)[1].split("\n\n", 3)
    listed = [line.split()[0] for line in section[1].splitlines()[1:] if line.startswith("  ") and not line.startswith("   ")]
    assert listed == list(item.schema.get("properties", {})) or (listed == ["(none)"] and not item.schema.get("properties"))
    example = yaml.safe_load("\n".join(line[2:] for line in section[2].splitlines()[1:]))
    options = example[0] if kind == "directive" else example[item.name]
    assert options["kind"] == item.name
    schema = slide_schema(item) if kind == "directive" else source_schema(item)  # what validates decks
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(options)]
    assert not errors, errors


def test_an_unknown_name_is_one_line_with_a_suggestion(cli):
    result = cli("help", "kv_hexdmp")
    assert result.code == 2
    assert result.err == "tfeic help: error: no directive or source named 'kv_hexdmp' (did you mean 'kv_hexdump'?)\n"
