"""KV slides that teach (issue 17, item 4): the tile map has axes, K/V and head labels and a colour
scale whose ends are the tiles' real lowest and highest values; the hex page shows each row's
decoded elements. Everything is read back from the written .pptx, and every expected number is
computed here from the pool's bytes with numpy (bf16 = the upper 16 bits of a float32)."""

import json
import re
import shutil

import numpy as np
import pytest
import yaml
from pptx import Presentation

from .conftest import EXABYTE

# decks/data/exabyte/block_pool.json: HND [blocks, L, kv, Hk, T, D] = [10, 4, 2, 4, 16, 64], bf16
BLOCKS, LAYERS, KV, HEADS, TOKENS, DIM = 10, 4, 2, 4, 16, 64


def _shapes(shapes):
    for shape in shapes:
        yield shape
        if shape.shape_type == 6:  # a group: the drawing of one ShapesBlock
            yield from _shapes(shape.shapes)


def _named(slide) -> dict[str, list]:
    found: dict[str, list] = {}
    for shape in _shapes(slide.shapes):
        found.setdefault(shape.name, []).append(shape)
    return found


def _bf16(raw: bytes) -> np.ndarray:
    bits = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
    return bits.view(np.float32)


@pytest.fixture(scope="module")
def deck(tmp_path_factory):
    from tests.conftest import run_cli

    root = tmp_path_factory.mktemp("teach")
    for name in ("block_pool.bin", "block_pool.json"):
        shutil.copy(f"{EXABYTE}/{name}", root / name)
    doc = {"title": "t", "sources": {"kv": {"kind": "kv", "path": "block_pool.bin"}},
           "slides": [{"kind": "kv_tiles", "source": "kv", "block": 1, "layer": 2},
                      {"kind": "kv_hexdump", "source": "kv", "range": {"offset": 4096, "length": 256}},
                      {"kind": "kv_legend", "source": "kv"}]}
    (root / "deck.yaml").write_text(yaml.safe_dump(doc))
    result = run_cli("build", str(root / "deck.yaml"), "-o", str(root / "o.pptx"), "--no-cache", "-q")
    assert result.code == 0, result.err
    pool = (root / "block_pool.bin").read_bytes()
    return list(Presentation(str(root / "o.pptx")).slides), pool


def test_tile_map_has_token_and_head_axes_and_plane_labels(deck):
    named = _named(deck[0][0])
    assert [s.text_frame.text for s in named["plane name"]] == ["K plane: keys", "V plane: values"]
    for h in range(HEADS):  # one label per head in each plane
        assert [s.text_frame.text for s in named[f"head {h}"]] == [f"h{h}", f"h{h}"]
    ticks = sorted({int(name.split()[1]) for name in named if name.startswith("token ") and name != "token axis"})
    assert ticks == list(range(0, TOKENS, 2))  # 16 slots, at most 8 labels: every second one
    assert all(named[f"token {t}"][0].text_frame.text == str(t) for t in ticks)
    assert [s.text_frame.text for s in named["token axis"]] == ["token slot 0-15; rows: KV heads"] * 2


def test_colour_scale_ends_are_the_tiles_lowest_and_highest(deck):
    slides, pool = deck
    named = _named(slides[0])
    values = _bf16(pool).reshape(BLOCKS, LAYERS, KV, HEADS, TOKENS, DIM)[1, 2]
    means = np.abs(values.astype(np.float64)).mean(axis=3)  # [kv, heads, tokens]: mean |x| over d
    for kv, plane in enumerate("KV"):
        low, high = means[kv].min(), means[kv].max()
        assert named["scale min"][kv].text_frame.text == f"{low:.3g}"
        assert named["scale max"][kv].text_frame.text == f"{high:.3g}"
        assert named["scale title"][kv].text_frame.text == "mean |x| of d0-63:"
        # the lowest tile has the scale's first swatch's shade, the highest its last one's
        h, t = np.unravel_index(means[kv].argmin(), means[kv].shape)
        H, T = np.unravel_index(means[kv].argmax(), means[kv].shape)
        swatches = [s for s in _shapes(slides[0].shapes) if s.name.startswith("scale ") and s.name[6:].isdigit()]
        first, last = swatches[kv * 6], swatches[kv * 6 + 5]
        assert named[f"{plane} h{h} c{t}"][0].fill.fore_color.rgb == first.fill.fore_color.rgb
        assert named[f"{plane} h{H} c{T}"][0].fill.fore_color.rgb == last.fill.fore_color.rgb
        assert first.fill.fore_color.rgb != last.fill.fore_color.rgb


def test_legend_shows_the_tile_shades(deck):
    slides, _ = deck
    tile_fills = {str(s.fill.fore_color.rgb) for s in _shapes(slides[0].shapes) if s.name.startswith("scale ")
                  and s.name[6:].isdigit()}
    legend = [s for s in _shapes(slides[2].shapes) if s.has_text_frame]
    texts = [s.text_frame.text for s in legend]
    assert "K tile maps: mean |x|, low to high" in texts and "V tile maps: mean |x|, low to high" in texts
    filled = {str(s.fill.fore_color.rgb) for s in _shapes(slides[2].shapes) if hasattr(s, "fill") and s.fill.type == 1}
    # the legend's tile rows end with the same lightest and full shades as the tiles' scales: the
    # plane colours K #2F80ED and V #EB5757, and each mixed 90% toward white (the lowest tile)
    ends = set()
    for rgb in ((0x2F, 0x80, 0xED), (0xEB, 0x57, 0x57)):
        ends |= {"".join(f"{c:02X}" for c in rgb), "".join(f"{round(c + (255 - c) * 0.9):02X}" for c in rgb)}
    assert ends <= filled & tile_fills


def test_hex_rows_show_their_decoded_first_and_last_elements(deck):
    slides, pool = deck
    paragraphs = [p.text for p in slides[1].shapes[1].text_frame.paragraphs]
    assert len(paragraphs) == 16
    for i, text in enumerate(paragraphs):
        offset = 4096 + 16 * i
        values = _bf16(pool[offset:offset + 16])  # 8 bf16 elements a row
        first_dim = (offset // 2) % DIM  # HND: the last axis is the head dim, D = 64
        first = f"d{first_dim}={values[0]:.3g}"
        last = f"d{first_dim + 7}={values[7]:.3g}"
        assert int(text.split()[0], 16) == offset
        element = offset // 2  # HND index ((kv * Hk + h) * T + t) * D + d inside block 0, layer 0
        tag = f"K h{element // (TOKENS * DIM) % HEADS} t{element // DIM % TOKENS}"
        assert re.search(rf"{re.escape(tag)}  {re.escape(first)} +\.\. {re.escape(last)}$", text), text
    assert len({text.index(" .. ") for text in paragraphs}) == 1  # the first values padded to one width


def test_hex_rows_show_every_element_when_they_fit(tmp_path):
    """fp32: 4 elements a 16-byte row, short enough to show all of them. The same bytes read as a
    pool of fp32 elements (head dim 32 keeps the block at 65,536 bytes)."""
    from tests.conftest import run_cli

    sidecar = json.loads((open(f"{EXABYTE}/block_pool.json").read()))
    sidecar.update(dtype="fp32", head_dim=32)
    shutil.copy(f"{EXABYTE}/block_pool.bin", tmp_path / "block_pool.bin")
    (tmp_path / "block_pool.json").write_text(json.dumps(sidecar))
    doc = {"title": "t", "sources": {"kv": {"kind": "kv", "path": "block_pool.bin"}},
           "slides": [{"kind": "kv_hexdump", "source": "kv", "range": {"offset": 0, "length": 64}}]}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(doc))
    result = run_cli("build", str(tmp_path / "deck.yaml"), "-o", str(tmp_path / "o.pptx"), "--no-cache", "-q")
    assert result.code == 0, result.err
    pool = (tmp_path / "block_pool.bin").read_bytes()
    paragraphs = [p.text for p in Presentation(str(tmp_path / "o.pptx")).slides[0].shapes[1].text_frame.paragraphs]
    for i, text in enumerate(paragraphs):
        values = np.frombuffer(pool[16 * i:16 * i + 16], dtype="<f4")
        assert text.endswith("K h0 t0  " + " ".join(f"{v:.3g}" for v in values)), text


def test_hexdump_is_one_page_unless_more_is_asked_for(tmp_path):
    """Without layers or range: the block's first 256 bytes, 16 rows, one slide; layers [0, 0] is
    the whole layer (16,384 bytes = 1,024 rows of 16)."""
    from tests.conftest import run_cli

    for name in ("block_pool.bin", "block_pool.json"):
        shutil.copy(f"{EXABYTE}/{name}", tmp_path / name)
    doc = {"title": "t", "sources": {"kv": {"kind": "kv", "path": "block_pool.bin"}},
           "slides": [{"kind": "kv_hexdump", "source": "kv", "block": 2}]}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(doc))
    result = run_cli("build", str(tmp_path / "deck.yaml"), "-o", str(tmp_path / "o.pptx"), "--no-cache", "-q")
    assert result.code == 0, result.err
    slides = list(Presentation(str(tmp_path / "o.pptx")).slides)
    start = 2 * LAYERS * KV * HEADS * TOKENS * DIM * 2  # block 2's first byte: 2 x 65,536
    assert len(slides) == 1 and slides[0].shapes[0].text_frame.text == f"Hex: block 2, layer 0, bytes {start:,}..{start + 255:,}"
    offsets = [int(p.text.split()[0], 16) for p in slides[0].shapes[1].text_frame.paragraphs]
    assert offsets == list(range(start, start + 256, 16))
