"""Characters the theme font lacks are measured in the font that draws them (the face's declared
fallback chain, in fontconfig's order), shaped per run of one font; a character no font of the
chain has is a layout error naming it. Expected widths come from the font files (``fontfiles``)."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace

import pytest

from tfeic.ir import Slide, TextBlock
from tfeic.layout import UnprovenLayout, layout_slides
from tfeic.layout.fonts import SAFETY, MissingGlyph, font_runs, proof_em
from tfeic.theme.load import load_theme
from tfeic.theme import FontFace

from .conftest import SANS, make_theme, para
from .fontfiles import DEJAVU, DEJAVU_SANS, SANS_REGULAR, advance_em, has, shaped_em

DEJAVU_FACE = FontFace("DejaVu Sans", DEJAVU_SANS, str(DEJAVU / "DejaVuSans-Bold.ttf"),
                       str(DEJAVU / "DejaVuSans-Oblique.ttf"), str(DEJAVU / "DejaVuSans-BoldOblique.ttf"))
CHAIN = replace(SANS, fallback=(DEJAVU_FACE,)).chain(False, False)


def test_an_arrow_liberation_lacks_is_measured_in_dejavu():
    assert not has(SANS_REGULAR, "\u27f6") and has(DEJAVU_SANS, "\u27f6")
    expected = (advance_em(SANS_REGULAR, "x ") + advance_em(DEJAVU_SANS, "\u27f6") + advance_em(SANS_REGULAR, " y"))
    assert proof_em("x \u27f6 y", CHAIN) == pytest.approx(expected * SAFETY, rel=1e-9)
    assert advance_em(DEJAVU_SANS, "\u27f6") > 1.3  # wider than the old 1.3 em guess


def test_hebrew_is_measured_in_dejavu():
    text = "\u05e9\u05dc\u05d5\u05dd \u05e2\u05d5\u05dc\u05dd"
    assert [f for f, _ in font_runs(text, CHAIN)] == [DEJAVU_SANS, SANS_REGULAR, DEJAVU_SANS]
    expected = (advance_em(DEJAVU_SANS, "\u05e9\u05dc\u05d5\u05dd") + advance_em(SANS_REGULAR, " ")
                + advance_em(DEJAVU_SANS, "\u05e2\u05d5\u05dc\u05dd"))
    assert proof_em(text, CHAIN) == pytest.approx(expected * SAFETY, rel=1e-9)


def test_arabic_is_shaped_right_to_left_with_joining_forms():
    word = "\u0645\u0631\u062d\u0628\u0627"  # marhaba: joined forms differ in width from isolated ones
    joined = max(shaped_em(DEJAVU_SANS, word, k, "rtl", "Arab") for k in (True, False))
    assert joined != pytest.approx(advance_em(DEJAVU_SANS, word), rel=1e-3)
    assert proof_em(word, CHAIN) == pytest.approx(joined * SAFETY, rel=1e-9)


def test_a_character_in_no_font_of_the_chain_names_its_code_point():
    with pytest.raises(MissingGlyph) as err:
        proof_em("ok \u4e2d", CHAIN)
    assert "U+4E2D (CJK UNIFIED IDEOGRAPH-4E2D)" in str(err.value)
    assert "LiberationSans-Regular.ttf" in str(err.value) and "DejaVuSans.ttf" in str(err.value)


def test_combining_marks_and_invisible_characters_go_with_their_base_character():
    # Liberation Sans here lacks the combining acute, so "e" and its accent are drawn together by DejaVu;
    # a zero-width joiner and a variation selector need no glyph of their own (not even in Liberation)
    assert has(SANS_REGULAR, "e") and not has(SANS_REGULAR, "\u0301") and has(DEJAVU_SANS, "\u0301")
    assert not has(SANS_REGULAR, "\u200d") and not has(SANS_REGULAR, "\ufe0f")
    assert font_runs("ae\u0301\u200d\u27f6\ufe0f", CHAIN) == [(SANS_REGULAR, "a"), (DEJAVU_SANS, "e\u0301\u200d\u27f6\ufe0f")]


def test_a_missing_glyph_is_a_layout_failure_naming_slide_box_and_character():
    theme = make_theme(fonts={"sans": replace(SANS, fallback=(DEJAVU_FACE,)), "mono": SANS})
    slides = [Slide("Fine", "title-body", (TextBlock("body", (para("Hello \u0928\u092e\u0938\u094d\u0924\u0947"),)),))]
    with pytest.raises(UnprovenLayout) as err:
        layout_slides(slides, theme)
    (failure,) = err.value.diagnostics
    assert failure.message.startswith('slide 1 "Fine", box body: character U+0928 (DEVANAGARI LETTER NA)')
    assert "fallback" in failure.hint


def test_a_deck_with_a_character_no_font_has_exits_4_with_one_line(cli, tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: t\nslides:\n  - kind: bullets\n    title: CJK\n    items: ['\u4e2d\u6587 text']\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"))
    assert result.code == 4
    (line,) = [l for l in result.err.splitlines() if "error:" in l]
    assert line.endswith("deck.yaml:3:5: error: slide 1 \"CJK\", box body: character U+4E2D (CJK UNIFIED "
                         "IDEOGRAPH-4E2D) is in none of the fonts the theme measures it with "
                         "(LiberationSans-Regular.ttf, DejaVuSans.ttf) (add a font that has it to the face's 'fallback' "
                         "list in the theme (Debian: fonts-noto-core, fonts-noto-cjk, fonts-noto-color-emoji), or leave "
                         "the character out)")
    assert not (tmp_path / "x.pptx").exists()


FC_CASES = [(family, style, char) for family in ("Liberation Sans", "Liberation Mono")
            for style in ("", ":bold", ":italic", ":bold:italic")
            for char in ("\u27f6", "\u05d0", "\u0627", "\U0001F600", "\ufffd")]


@pytest.mark.skipif(shutil.which("fc-match") is None, reason="fontconfig's fc-match is not installed")
@pytest.mark.parametrize("family,style,char", FC_CASES)
def test_the_shipped_theme_falls_back_where_fontconfig_does(family, style, char, tmp_path):
    """LibreOffice draws a missing character in fontconfig's choice: the theme's chain must agree."""
    theme = load_theme("light", str(tmp_path))
    face = next(f for f in theme.fonts.values() if f.regular.endswith(family.replace(" ", "") + "-Regular.ttf"))
    chain = face.chain(":bold" in style, ":italic" in style)
    ours = font_runs(char, chain)[0][0]
    fc = subprocess.run(["fc-match", "-f", "%{file}", f"{family}{style}:charset={ord(char):x}"],
                        capture_output=True, text=True, timeout=30).stdout
    assert ours == fc


def test_characters_the_package_cannot_hold_are_measured_as_the_replacement_drawn():
    """C0 and C1 controls, U+FFFE/U+FFFF and lone surrogates reach the slide as U+FFFD."""
    per_char = advance_em(DEJAVU_SANS, "\ufffd")
    for bad in ("\x01", "\x1f", "\x7f", "\x9b", "\ufffe", "\uffff", "\ud800", "\udfff"):
        assert proof_em(f"a{bad}", CHAIN) == pytest.approx((advance_em(SANS_REGULAR, "a") + per_char) * SAFETY)
    theme = make_theme(fonts={"sans": replace(SANS, fallback=(DEJAVU_FACE,)), "mono": SANS})
    placed, _ = layout_slides([Slide("bad\x01title\ud800", "title-body", (TextBlock("body", (para("x\x02\ufffe"),)),))],
                              theme)
    assert placed[0].title == "bad\x01title\ud800"  # replaced where the XML is written, and reported there
