"""Hex dumps paginate in layout alone: ``kv_hexdump`` emits one slide with every row, layout splits it
by the theme's body height and titles each page with the bytes it shows, numbered once ("(2/4)",
never also "(cont.)"); ``limits.hex_pages`` still caps the pages."""

import re
import shutil

import pytest
import yaml
from pptx import Presentation

from tfeic.cli.exit_codes import exit_code
from tfeic.core.diagnostics import LayoutError, SpecError
from tfeic.domains.kv.hexview import hex_rows
from tfeic.layout import check, layout_slides
from tfeic.layout.placed import PlacedText
from tfeic.theme.load import load_theme

from .conftest import EXABYTE
from .test_directives import deck, expand, source

SHORT_THEME = {"extends": "light", "name": "short", "slide": {"width": 960, "height": 300}}  # 188 pt of body


def test_hexdump_pages_cover_the_range_and_fit():
    pool = source("kv", path="block_pool.bin")
    slides = expand("kv_hexdump", pool, layers=[0, 1])
    placed, proof = layout_slides(slides, load_theme("light", EXABYTE))
    layer_bytes = pool.geometry.layer_block_bytes
    assert len(slides) == 1 and len(placed) == 2 * layer_bytes // 256 and proof.ok
    bodies = [p.boxes[1] for p in placed]
    assert all(isinstance(b, PlacedText) and len(b.paragraphs) == 16 and b.style.size == 14 for b in bodies)
    rows = hex_rows(pool, 0, 2 * layer_bytes)
    assert [int(q.text.split()[0], 16) for b in bodies for q in b.paragraphs] == [r.offset for r in rows]
    assert max(len(q.text) for b in bodies for q in b.paragraphs) <= 104
    n = len(placed)
    assert [p.title for p in placed] == [f"Hex: block 0, layer 0-1, bytes {256 * k:,}..{256 * k + 255:,} ({k + 1}/{n})"
                                         for k in range(n)]


def test_hexdump_too_long_for_the_cap_is_refused_before_its_rows_are_made():
    pool = source("kv", path="block_pool.bin")
    with pytest.raises(SpecError) as e:
        expand("kv_hexdump", pool, deck({"hex_pages": 10}), layers=[0, 3])
    assert exit_code(e.value) == 2 and "4,096 rows" in str(e.value) and "cap of 10" in str(e.value)
    assert "limits.hex_pages" in str(e.value)


def test_hexdump_over_the_cap_in_layout_is_a_failure_with_numbers():
    """1,024 rows pass the directive's bound (10 pages x 256 rows) but the light theme's 16-row pages
    make 64 of them: a layout failure naming the limit."""
    pool = source("kv", path="block_pool.bin")
    slides = expand("kv_hexdump", pool, deck({"hex_pages": 10}), layers=[0, 0])
    with pytest.raises(LayoutError) as e:
        layout_slides(slides, load_theme("light", EXABYTE))
    assert exit_code(e.value) == 4 and len(e.value.diagnostics) == 1
    assert "needs 64 pages, over the cap of 10 (limits.hex_pages)" in str(e.value)


def _hex_deck(root, theme=None, length=1024, limits=None):
    for name in ("block_pool.bin", "block_pool.json"):
        shutil.copy(f"{EXABYTE}/{name}", root / name)
    doc = {"title": "t", "sources": {"kv": {"kind": "kv", "path": "block_pool.bin"}},
           "slides": [{"kind": "kv_hexdump", "source": "kv", "range": {"offset": 0, "length": length}}]}
    if theme:
        (root / "short.yaml").write_text(yaml.safe_dump(theme))
        doc["theme"] = "short.yaml"
    if limits:
        doc["limits"] = limits
    (root / "deck.yaml").write_text(yaml.safe_dump(doc))
    return root / "deck.yaml"


def test_a_shorter_theme_paginates_with_truthful_titles(cli, tmp_path):
    """Its body holds 8 rows of 14 pt code (16 did not fit even at 8 pt before layout paginated):
    pages of 8 rows (the largest power-of-two step that fits), each titled with its own bytes."""
    result = cli("build", str(_hex_deck(tmp_path, SHORT_THEME)), "-o", str(tmp_path / "o.pptx"), "--no-cache", "-q")
    assert result.code == 0, result.err
    slides = list(Presentation(str(tmp_path / "o.pptx")).slides)
    titles = [s.shapes[0].text_frame.text for s in slides]
    assert len(slides) == 1024 // 128 and not any("cont." in t for t in titles)
    for k, (title, slide) in enumerate(zip(titles, slides)):
        offsets = [int(p.text.split()[0], 16) for p in slide.shapes[1].text_frame.paragraphs]
        first, last = offsets[0], offsets[-1] + 15
        assert offsets == list(range(128 * k, 128 * k + 128, 16))
        assert title == f"Hex: bytes {first:,}..{last:,} ({k + 1}/{len(slides)})"


def test_hex_pages_limit_counts_the_theme_pages(cli, tmp_path):
    """The same 1,024 bytes are 4 pages in light (within a cap of 4) and 8 in the short theme (over it)."""
    light = cli("build", str(_hex_deck(tmp_path, limits={"hex_pages": 4})), "-o", str(tmp_path / "a.pptx"), "--no-cache", "-q")
    assert light.code == 0, light.err
    short = cli("build", str(_hex_deck(tmp_path, SHORT_THEME, limits={"hex_pages": 4})), "-o", str(tmp_path / "b.pptx"),
                "--no-cache", "-q")
    assert short.code == 4 and not (tmp_path / "b.pptx").exists()
    assert re.search(r'slide 1 "Hex: bytes 0\.\.1,023": needs 8 pages, over the cap of 4 \(limits\.hex_pages\)', short.err)


def test_placed_hex_pages_pass_the_independent_check(tmp_path):
    theme_path = tmp_path / "short.yaml"
    theme_path.write_text(yaml.safe_dump(SHORT_THEME))
    theme = load_theme(str(theme_path), str(tmp_path))
    pool = source("kv", path="block_pool.bin")
    placed, proof = layout_slides(expand("kv_hexdump", pool, range={"offset": 0, "length": 1024}), theme)
    assert proof.ok and len(placed) == 8 and check(placed, theme) == []
