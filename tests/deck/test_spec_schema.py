"""The assembled deck schema: a valid 2020-12 schema that editors can use, and write/check round trips."""

from __future__ import annotations

import json

import pytest
import yaml
from jsonschema import Draft202012Validator

from tfeic.cli import main
from tfeic.cli.schema import write_schema
from tfeic.deck.schema import SCHEMA_ID, check_schema, deck_schema


@pytest.fixture
def validator(registries):
    schema = deck_schema(**registries)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def test_envelope(registries):
    schema = deck_schema(**registries)
    assert schema["$id"] == SCHEMA_ID
    assert schema["required"] == ["title"]
    assert schema["properties"]["theme"]["default"] == "light"
    kinds = schema["$defs"]["slide"]["properties"]["kind"]["oneOf"]
    assert {"const": "kv_hexdump", "description": "Bytes of one KV block, decoded"} in kinds


def test_common_slide_fields_are_added_by_the_assembler(registries):
    table = deck_schema(**registries)["$defs"]["slide.table"]
    assert {"kind", "title", "notes", "layout", "rows", "columns"} <= set(table["properties"])
    assert table["additionalProperties"] is False and table["required"] == ["kind", "rows"]


def test_editor_view_checks_directive_options(validator):
    """What yaml-language-server sees: the if/then dispatch catches a bad option without our code."""
    good = yaml.safe_load("title: t\nslides: [{kind: table, rows: [[a]], layout: two-columns}]")
    bad = yaml.safe_load("title: t\nslides: [{kind: table, rows: [[a]], colums: []}]")
    bad_source = yaml.safe_load("title: t\nsources: {kv: {kind: kv, path: 3}}")
    assert validator.is_valid(good)
    assert not validator.is_valid(bad)
    assert not validator.is_valid(bad_source)


def test_write_then_check(tmp_path, registries):
    path = tmp_path / "deck.schema.json"
    assert not check_schema(str(path), **registries)
    write_schema(str(path), **registries)
    assert json.loads(path.read_text()) == deck_schema(**registries)
    assert check_schema(str(path), **registries)
    path.write_text(path.read_text().replace("kv_hexdump", "kv_hexdmp"))
    assert not check_schema(str(path), **registries)


def test_cli_schema_check(tmp_path, capsys):
    path = str(tmp_path / "deck.schema.json")
    assert main(["schema", "--output", path]) == 0
    assert main(["schema", "--check", "--output", path]) == 0
    with open(path, "a") as f:
        f.write(" ")
    assert main(["schema", "--check", "--output", path]) == 1
    assert "deck schema is out of date" in capsys.readouterr().err
