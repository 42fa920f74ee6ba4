"""The two tiers of schema validation: the compiled check decides valid data alone (jsonschema is not
even imported), and anything it rejects or cannot decide gets jsonschema's errors, as before."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tfeic.deck.validate import make_validator

SCHEMA = {
    "type": "object",
    "properties": {
        "name": {"type": "string", "pattern": "^[a-z]+$"},
        "size": {"type": "number", "minimum": 0},
        "date": {"type": "string", "format": "date"},
    },
    "additionalProperties": False,
}


def messages(instance) -> list[str]:
    return sorted(error.message for error in make_validator(SCHEMA).iter_errors(instance))


def test_valid_data_has_no_errors():
    assert messages({"name": "abc", "size": 2.5, "date": "2026-01-31"}) == []


def test_each_kind_of_error_is_reported_by_the_reference_tier():
    assert messages({"name": "ABC"}) == ["'ABC' does not match '^[a-z]+$'"]
    assert messages({"size": -1}) == ["-1 is less than the minimum of 0"]
    assert messages({"date": "2026-02-30"}) == ["'2026-02-30' is not a 'date'"]  # February has no 30th
    assert messages({"extra": 1}) == ["Additional properties are not allowed ('extra' was unexpected)"]


def test_non_finite_numbers_are_type_errors():
    assert messages({"size": float("inf")}) == ["inf is not of type 'number'"]
    assert messages({"size": float("nan")}) == ["nan is not of type 'number'"]


def test_data_that_is_not_plain_json_goes_to_the_reference_tier():
    validator = make_validator(SCHEMA)
    assert validator.is_valid({1: "integer key"}) is None
    assert validator.is_valid({"size": float("inf")}) is None
    assert validator.is_valid({"name": "abc"}) is True
    assert validator.is_valid({"name": "ABC"}) is False


def test_a_valid_deck_is_checked_without_importing_jsonschema(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: T\ndate: 2026-01-01\nslides:\n  - kind: bullets\n    title: One\n    items: [a, b]\n")
    code = textwrap.dedent(f"""
        import sys
        from tfeic.deck.validate import load_deck
        from tfeic.directives import DIRECTIVES
        from tfeic.sources import SOURCES
        deck = load_deck({str(deck)!r}, directives=DIRECTIVES, sources=SOURCES)
        print(len(deck.slides), 'jsonschema' in sys.modules)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["1", "False"]


def test_a_surrogate_range_in_a_pattern_is_decided_by_both_tiers():
    schema = {"type": "string", "pattern": "^[^\\u0000-\\u001f\\ud800-\\udfff]+$"}  # as the theme's font names
    validator = make_validator(schema)
    assert validator.is_valid("Liberation Sans") is True  # compiled: the fast tier decides
    assert validator.is_valid("tab\there") is False
    assert validator.is_valid("lone \ud800") is None  # the binding cannot take it: the reference tier decides
    assert [e.validator for e in validator.iter_errors("lone \ud800")] == ["pattern"]
