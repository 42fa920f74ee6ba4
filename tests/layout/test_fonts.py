"""Widths from HarfBuzz: kerning relationships, linear scaling, the proof's upper bound, and an
independent measurement (FreeType via matplotlib's ft2font) to compare against."""

from __future__ import annotations

import pytest

from tfeic.core.diagnostics import SpecError
from tfeic.layout.fonts import SAFETY, MissingGlyph, proof_width, text_width

from .conftest import SANS


@pytest.mark.parametrize("text", ["Hello, world", "AVATAR To"])
def test_kerning_never_widens_and_the_proof_takes_the_wider(text):
    kerned = text_width(text, SANS.regular, 20, kerned=True)
    plain = text_width(text, SANS.regular, 20, kerned=False)
    assert kerned <= plain
    assert proof_width(text, SANS.regular, 20) == pytest.approx(max(kerned, plain) * SAFETY)


def test_kerning_pairs_and_linear_scaling():
    assert text_width("AVATAR To", SANS.regular, 20, True) < text_width("AVATAR To", SANS.regular, 20, False)
    assert text_width("Hello, world", SANS.bold, 40, True) == pytest.approx(
        2 * text_width("Hello, world", SANS.bold, 20, True))
    assert text_width("Hello, world", SANS.bold, 20, True) > text_width("Hello, world", SANS.regular, 20, True)


def test_harfbuzz_agrees_with_freetype_advances():
    from matplotlib import ft2font

    font = ft2font.FT2Font(SANS.regular)
    font.set_size(20, 72)  # 1 px = 1 pt
    font.set_text("Hello, world", 0.0, flags=ft2font.LoadFlags.NO_HINTING)
    freetype = font.get_width_height()[0] / 64
    harfbuzz = text_width("Hello, world", SANS.regular, 20, kerned=True)
    assert harfbuzz == pytest.approx(freetype, rel=0.01)  # reference/layout.md: both within 0.54 % of LibreOffice
    assert proof_width("Hello, world", SANS.regular, 20) >= freetype


def test_a_character_the_font_lacks_is_an_error_naming_it():
    with pytest.raises(MissingGlyph, match=r"U\+1F600 \(GRINNING FACE\)"):
        proof_width("ok \U0001F600", SANS.regular, 10)


def test_a_missing_font_file_names_the_file(tmp_path):
    missing = str(tmp_path / "NoSuchFont.ttf")
    with pytest.raises(SpecError) as err:
        text_width("x", missing, 12, True)
    assert missing in err.value.diagnostics[0].message
