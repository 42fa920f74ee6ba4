"""The YAML loader: values, positions, and the limits that keep hostile files cheap."""

from __future__ import annotations

import pytest

from tfeic.core.diagnostics import Pos, SpecError
from tfeic.core.yamlfile import load_file, load_text


def messages(text: str, **limits) -> list[str]:
    with pytest.raises(SpecError) as e:
        load_text(text, "d.yaml", **limits)
    return [d.format() for d in e.value.diagnostics]


def test_values_and_positions_are_one_based():
    doc = load_text("title: KV\nslides:\n  - kind: table\n    rows: [[a, 1]]\n", "d.yaml")
    assert doc.data == {"title": "KV", "slides": [{"kind": "table", "rows": [["a", 1]]}]}
    assert doc.positions["slides/0/kind"] == Pos("d.yaml", 3, 11)
    assert doc.positions["slides/0/rows/0/1"] == Pos("d.yaml", 4, 16)
    assert doc.key_positions["slides/0/rows"] == Pos("d.yaml", 4, 5)
    assert doc.pos("slides/0/missing/deeper") == Pos("d.yaml", 3, 5)  # nearest ancestor


def test_keys_stay_as_written_and_dates_stay_text():
    doc = load_text("on: yes\n3: three\ndate: 2024-05-01\n", "d.yaml")
    assert doc.data == {"on": True, "3": "three", "date": "2024-05-01"}


def test_merge_keys_explicit_wins_and_positions_follow_the_anchor():
    doc = load_text("base: &b {size: 3, color: red}\nitem:\n  <<: *b\n  size: 4\n", "d.yaml")
    assert doc.data["item"] == {"size": 4, "color": "red"}
    assert doc.positions["item/color"] == Pos("d.yaml", 1, 27)


def test_every_duplicate_key_is_reported():
    assert messages("a: 1\nb: {c: 1, c: 2}\na: 3\n") == [
        "d.yaml:2:11: error: duplicate key 'c' (first defined at line 2)",
        "d.yaml:3:1: error: duplicate key 'a' (first defined at line 1)",
    ]


@pytest.mark.parametrize("text", ["a: !!python/object/apply:os.system [ls]\n", "a: !!binary aGk=\n", "a: !custom x\n"])
def test_only_core_tags(text):
    assert "unsupported YAML tag" in messages(text)[0]


def test_recursive_alias_is_an_error_not_a_hang():
    assert messages("a: &a [1, *a]\n") == ["d.yaml:1:11: error: recursive alias"]


def test_alias_expansion_limit_points_at_the_alias():
    text = "a: &a [x, x, x, x]\nb: &b [*a, *a, *a, *a]\nc: [*b, *b]\n"
    assert load_text(text, "d.yaml", max_nodes=100).data["c"][1][3] == ["x"] * 4
    assert messages(text, max_nodes=30) == [
        "d.yaml:3:5: error: document expands to more than 30 nodes"
        " (alias expansion is bounded; is this a 'billion laughs' file?)"
    ]


def test_file_size_limit(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 100 + "\n")
    with pytest.raises(SpecError, match="more than the limit of 64"):
        load_file(str(path), max_bytes=64)


def test_unreadable_file_is_a_diagnostic(tmp_path):
    with pytest.raises(SpecError, match="cannot read file"):
        load_file(str(tmp_path / "absent.yaml"))
