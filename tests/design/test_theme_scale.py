"""The design system in the themes (issue 17): floors per reading kind, WCAG AA palette pairs and
spacing tokens are checked when a theme loads (exit 2, at the offending value's line); the shipped
themes keep them. Contrast is recomputed here from WCAG 2.x's formula, not with tfeic's code."""

from __future__ import annotations

import textwrap

import pytest
from wcag import contrast
import yaml

from tfeic.cli.exit_codes import exit_code
from tfeic.core.diagnostics import SpecError
from tfeic.theme.load import load_theme

THEMES = ("light", "dark", "high-contrast")


def wcag_ratio(fg: str, bg: str) -> float:
    """WCAG 2.x contrast of two ``#RRGGBB`` colours, by the tests' own formula (tests/wcag.py)."""
    return contrast(fg.lstrip("#"), bg.lstrip("#"))


def test_the_wcag_formula_of_this_test_agrees_with_the_published_extremes():
    assert wcag_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert wcag_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)  # the classic just-failing grey


@pytest.mark.parametrize("name", THEMES)
def test_shipped_themes_keep_the_floors_and_aa_on_their_background(name):
    theme = load_theme(name, ".")
    assert theme.floors["label"] >= 12 and theme.floors["dense"] >= 14 and theme.floors["body"] >= 18
    background = theme.colors["background"]
    for role_name, role in theme.roles.items():
        smallest = role.min_size if role.min_size is not None else theme.min_size
        assert smallest >= 12, role_name
        if role.reading == "body":
            assert smallest >= 18, role_name
        large = smallest >= 18 or (role.bold and smallest >= 14)
        need = 3.0 if large else 4.5
        assert wcag_ratio(theme.colors.get(role.color, role.color), background) >= need, role_name
    assert theme.roles["body"].reading == theme.roles["table"].reading == "body"
    assert theme.roles["code"].reading == "dense"
    assert wcag_ratio(theme.colors["table_header_text"], theme.colors["table_header_bg"]) >= 4.5


def test_the_series_palette_is_okabe_ito():
    theme = load_theme("light", ".")
    okabe_ito = {"#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9"}
    assert {theme.color(name) for name in theme.series} == {c.lstrip("#") for c in okabe_ito}


def _theme(tmp_path, text: str):
    path = tmp_path / "mine.yaml"
    path.write_text(textwrap.dedent(text))
    return str(path)


def _refused(tmp_path, text: str) -> str:
    path = _theme(tmp_path, text)
    with pytest.raises(SpecError) as e:
        load_theme(path, str(tmp_path))
    assert exit_code(e.value) == 2
    return str(e.value)


def test_a_body_role_that_may_shrink_under_18_pt_is_refused_at_its_line(tmp_path):
    message = _refused(tmp_path, """\
        name: mine
        extends: light
        text:
          body: {min_size: 14}
        """)
    assert "mine.yaml:4:" in message and "14 pt is under the 18 pt floor of 'body' text" in message


def test_a_label_role_under_12_pt_is_refused(tmp_path):
    message = _refused(tmp_path, """\
        name: mine
        extends: light
        text:
          caption: {size: 10, min_size: 10}
        """)
    assert "10 pt is under the 12 pt floor of 'label' text" in message


def test_a_role_colour_under_aa_on_the_background_is_refused_with_its_ratio(tmp_path):
    message = _refused(tmp_path, """\
        name: mine
        extends: light
        colors:
          muted: "#999999"
        """)
    ratio = wcag_ratio("#999999", "#FFFFFF")  # 2.85:1, under 4.5:1 for 14 pt captions
    assert ratio < 4.5
    assert f"'muted' on 'background' has contrast {ratio:.2f}:1, WCAG AA needs 4.5:1" in message


def test_a_table_header_pair_under_aa_is_refused(tmp_path):
    message = _refused(tmp_path, """\
        name: mine
        extends: light
        colors:
          table_header_bg: "#767676"
          table_header_text: "#A0A0A0"
        """)
    assert "'table_header_text' on 'table_header_bg'" in message and "mine.yaml:5:" in message


def test_spacing_tokens_stand_for_lengths_and_an_unknown_one_is_refused(tmp_path):
    path = _theme(tmp_path, """\
        name: mine
        extends: light
        spacing: {roomy: 10}
        paragraph_space: roomy
        """)
    assert load_theme(path, str(tmp_path)).paragraph_space == 10.0
    light = yaml.safe_load(open("tfeic/theme/themes/light.yaml"))
    assert light["grid"]["gutter"] == "l" and load_theme("light", ".").gutter == light["spacing"]["l"]
    message = _refused(tmp_path, """\
        name: mine
        extends: light
        paragraph_space: romy
        """)
    assert "no spacing token 'romy' in spacing" in message and "mine.yaml:3:" in message


def test_a_theme_may_raise_the_floors_but_never_lower_them(tmp_path):
    raised = _theme(tmp_path, """\
        name: mine
        extends: light
        floors: {label: 14}
        text:
          caption: {size: 14, min_size: 14}
          chart: {min_size: 14}
          stat_label: {min_size: 14}
        """)
    assert load_theme(raised, str(tmp_path)).floor_for("caption") == 14
    message = _refused(tmp_path, """\
        name: mine
        extends: light
        floors: {body: 16}
        """)
    assert "mine.yaml:3:" in message and "16" in message
