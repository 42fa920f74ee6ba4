"""Templating: sandboxed, strict, rendered once; errors are positioned diagnostics."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from tfeic.core.diagnostics import Pos, SpecError
from tfeic.core.plain import template_method
from tfeic.deck.templating import render_options, render_text

AT = Pos("deck.yaml", 7, 12)


@dataclass(frozen=True)
class Geometry:
    layers: int
    kv_heads: int

    @template_method
    def bytes_per_token(self) -> int:
        return 2 * self.layers * self.kv_heads * 128 * 2


def test_dataclass_attributes_and_methods():
    geo = Geometry(layers=32, kv_heads=8)
    assert render_text("{{ geo.layers }} layers, {{ geo.bytes_per_token() }} B", {"geo": geo}, AT) == "32 layers, 131072 B"


def test_plain_text_is_untouched():
    assert render_text("50% of {blocks}", {}, AT) == "50% of {blocks}"


def test_data_values_are_never_evaluated():
    context = {"prompt": "{{ 7*7 }} {% for x in y %}"}
    assert render_text("Prompt: {{ prompt }}", context, AT) == "Prompt: {{ 7*7 }} {% for x in y %}"
    assert render_options({"rows": [["{{ prompt }}"]]}, {}, context) == {"rows": [["{{ 7*7 }} {% for x in y %}"]]}


@pytest.mark.parametrize(
    "template, fragment",
    [
        ("{{ gep.layers }}", "'gep' is undefined"),
        ("{{ geo.layers ", "TemplateSyntaxError"),
        ("{{ ''.__class__.__mro__ }}", "SecurityError"),
        ("{{ 1 / 0 }}", "ZeroDivisionError"),
    ],
)
def test_errors_are_spec_errors_at_the_string(template, fragment):
    with pytest.raises(SpecError) as e:
        render_text(template, {"geo": Geometry(32, 8)}, AT)
    (diagnostic,) = e.value.diagnostics
    assert diagnostic.pos == AT and fragment in diagnostic.message


def test_render_options_walks_nesting_and_points_at_the_nearest_position():
    options = {"title": "{{ n }} blocks", "rows": [["a", "{{ n * 2 }}"]], "block": 3}
    assert render_options(options, {}, {"n": 4}) == {"title": "4 blocks", "rows": [["a", "8"]], "block": 3}
    positions = {"": Pos("deck.yaml", 5, 5), "rows": Pos("deck.yaml", 7, 11)}
    with pytest.raises(SpecError) as e:
        render_options({"rows": [["{{ m }}"]]}, positions, {})
    assert e.value.diagnostics[0].pos == Pos("deck.yaml", 7, 11)


def test_render_options_falls_back_to_the_slide_origin():
    with pytest.raises(SpecError) as e:
        render_options({"title": "{{ m }}"}, {}, {}, AT)
    assert e.value.diagnostics[0].pos == AT
