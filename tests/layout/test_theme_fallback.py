"""A theme declares, per font, the fonts that draw what it lacks; the loader checks the names."""

from __future__ import annotations

import pytest

from tfeic.core.diagnostics import SpecError
from tfeic.theme.load import load_theme


def test_the_shipped_themes_fall_back_to_dejavu(tmp_path):
    for name in ("light", "dark"):
        fonts = load_theme(name, str(tmp_path)).fonts
        assert [f.family for f in fonts["sans"].fallback] == ["DejaVu Sans"]
        assert [f.family for f in fonts["mono"].fallback] == ["DejaVu Sans Mono", "DejaVu Sans"]
        assert fonts["sans"].chain(True, False)[:3] == (fonts["sans"].bold, fonts["sans"].regular,
                                                        fonts["sans"].fallback[0].bold)


@pytest.mark.parametrize("fallback,message", [
    ("[sans_fallback]", "fonts.sans.fallback[0]: no font 'sans_fallback' in fonts"),
    ("[sans]", "fonts.sans.fallback[0]: a font cannot be its own fallback"),
])
def test_a_fallback_must_name_another_font_of_the_theme(tmp_path, fallback, message):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "mine.yaml").write_text(f"name: mine\nextends: light\nfonts:\n  sans:\n    fallback: {fallback}\n")
    with pytest.raises(SpecError) as err:
        load_theme("mine", str(tmp_path))
    (diagnostic,) = err.value.diagnostics
    assert message in diagnostic.message
    assert (diagnostic.pos.line, diagnostic.pos.col) == (5, 16)
