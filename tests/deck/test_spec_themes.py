"""Theme loading: extends, the grid rules a schema cannot state, and font files found on disk."""

from __future__ import annotations

import os
import textwrap

import pytest

from tfeic.core.diagnostics import SpecError
from tfeic.theme.load import list_themes, load_theme


def write_theme(deck_dir, name: str, body: str) -> None:
    themes = deck_dir / "themes"
    themes.mkdir(exist_ok=True)
    (themes / f"{name}.yaml").write_text(textwrap.dedent(body))


def errors_of(deck_dir, name: str) -> list[str]:
    with pytest.raises(SpecError) as e:
        load_theme(name, str(deck_dir))
    return [d.format() for d in e.value.diagnostics]


@pytest.fixture
def deck_dir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # theme files are then shown as themes/<name>.yaml
    return tmp_path


def test_light_theme(deck_dir):
    theme = load_theme("light", str(deck_dir))
    assert (theme.name, theme.width, theme.height, theme.columns, theme.margin_top) == ("light", 960, 540, 12, 24)
    assert theme.roles["title"].size == 30 and theme.roles["title"].bold
    assert theme.layouts["two-columns"].areas == (("title", "title"), ("left", "right"))
    assert theme.fonts["mono"].family == "Courier New"
    assert all(os.path.isabs(f) and os.path.isfile(f) for face in theme.fonts.values()
               for f in (face.regular, face.bold, face.italic, face.bold_italic))


def test_dark_overrides_only_colours(deck_dir):
    light, dark = load_theme("light", str(deck_dir)), load_theme("dark", str(deck_dir))
    assert dark.name == "dark" and dark.color("background") == "0D1117"
    assert (dark.fonts, dark.layouts, dark.roles) == (light.fonts, light.layouts, light.roles)


def test_deck_local_theme_by_name_and_by_path(deck_dir):
    write_theme(deck_dir, "brand", """\
        name: brand
        extends: light
        colors: {accent: "#FF0000"}
        grid: {columns: 6}
    """)
    theme = load_theme("brand", str(deck_dir))
    assert theme.colors["accent"] == "#FF0000" and theme.colors["text"] == "#1B2430" and theme.columns == 6
    assert theme.source == os.path.join("themes", "brand.yaml")
    assert load_theme("themes/brand.yaml", str(deck_dir)).name == "brand"
    assert ("brand", os.path.join("themes", "brand.yaml")) in list_themes(str(deck_dir))
    assert [name for name, _ in list_themes()] == ["dark", "high-contrast", "light"]


def test_unknown_theme_suggests(deck_dir):
    assert errors_of(deck_dir, "drak") == ["error: unknown theme 'drak' (did you mean 'dark'?)"]


def test_grid_rules(deck_dir):
    write_theme(deck_dir, "grid", """\
        name: grid
        extends: light
        layouts:
          fifths:
            areas: ["a b c d e"]
            rows: [1fr]
          crossed:
            areas: ["a b", "b a"]
            rows: [1fr, 1fr]
          short:
            areas: ["title", "body"]
            rows: [52pt]
    """)
    assert errors_of(deck_dir, "grid") == [
        "themes/grid.yaml:5:13: error: layouts.fifths.areas[0]: 5 names do not divide the 12 grid columns",
        "themes/grid.yaml:8:12: error: layouts.crossed.areas: area 'a' is not a rectangle",
        "themes/grid.yaml:8:12: error: layouts.crossed.areas: area 'b' is not a rectangle",
        "themes/grid.yaml:12:11: error: layouts.short.rows: 1 row heights for 2 rows of areas",
    ]


def test_schema_errors_point_into_the_file_that_wrote_them(deck_dir):
    write_theme(deck_dir, "bad", """\
        name: bad
        extends: light
        colors: {accent: green}
        layouts:
          wide: {areas: [body], rows: [52px]}
        text:
          body: {font: sanz, size: 20}
    """)
    assert errors_of(deck_dir, "bad") == [
        "themes/bad.yaml:3:18: error: colors.accent: expected a colour '#RRGGBB', got 'green'",
        "themes/bad.yaml:5:32: error: layouts.wide.rows[0]: expected a row height '<n>pt' or '<n>fr', got '52px'",
    ]
    write_theme(deck_dir, "bad", "name: bad\nextends: light\ntext:\n  body: {font: sanz, size: 20, color: mutd}\n")
    assert errors_of(deck_dir, "bad") == [
        "themes/bad.yaml:4:16: error: text.body.font: no font 'sanz' in fonts (did you mean 'sans'?)",
        "themes/bad.yaml:4:39: error: text.body.color: no colour 'mutd' in colors (did you mean 'muted'?)",
    ]


def test_missing_font_names_the_file_and_the_package(deck_dir):
    write_theme(deck_dir, "nofont", """\
        name: nofont
        extends: light
        fonts:
          sans: {regular: LiberationSans-Missing.ttf}
    """)
    (message,) = errors_of(deck_dir, "nofont")
    assert message.startswith("themes/nofont.yaml:4:19: error: fonts.sans.regular: font file 'LiberationSans-Missing.ttf' not found")
    assert message.endswith("(install the Debian package fonts-liberation)")


def test_font_next_to_the_theme_file_wins(deck_dir):
    system = load_theme("light", str(deck_dir)).fonts["sans"].regular
    write_theme(deck_dir, "local", "name: local\nextends: light\nfonts:\n  sans: {regular: Local.ttf}\n")
    with open(system, "rb") as src, open(deck_dir / "themes" / "Local.ttf", "wb") as dst:
        dst.write(src.read())
    assert load_theme("local", str(deck_dir)).fonts["sans"].regular == str(deck_dir / "themes" / "Local.ttf")


def test_extends_cycle(deck_dir):
    write_theme(deck_dir, "a", "name: a\nextends: b\n")
    write_theme(deck_dir, "b", "name: b\nextends: a\n")
    (message,) = errors_of(deck_dir, "a")
    assert "themes extend each other in a cycle: themes/a.yaml -> themes/b.yaml -> themes/a.yaml" in message
