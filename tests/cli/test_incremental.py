"""The build cache: cached builds give the same bytes as cold ones, an edit invalidates only its own
slide, a broken cache is ignored, and a no-op rebuild writes nothing."""

from __future__ import annotations

import hashlib
import os
import shutil

from tfeic.pipeline import BuildOptions, compile_deck
from tfeic.core.cache import Cache

from .conftest import DECK

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def sha(path) -> str:
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def build(cli, deck, out, *extra) -> str:
    res = cli("build", str(deck), "-o", str(out), "-q", *extra)
    assert res.code == 0, res.err
    return sha(out)


def test_cached_build_and_deleted_cache_give_the_cold_bytes(cli, deck, tmp_path, build_cache):
    cold = build(cli, deck, tmp_path / "cold.pptx", "--no-cache")
    assert not build_cache.exists()
    assert build(cli, deck, tmp_path / "a.pptx") == cold  # fills the cache
    assert build(cli, deck, tmp_path / "b.pptx") == cold  # every slide from the cache
    assert sorted(os.listdir(tmp_path)) == ["a.pptx", "b.pptx", "cold.pptx", "deck.yaml"]  # nothing next to the deck
    shutil.rmtree(build_cache)
    assert build(cli, deck, tmp_path / "c.pptx") == cold


def test_an_edited_slide_invalidates_only_itself(deck, build_cache):
    cache = Cache(str(build_cache))
    first = compile_deck(str(deck), BuildOptions(), cache=cache)
    assert first.cached == 0
    deck.write_text(DECK.replace("Some words that fit.", "Other words that fit."))
    second = compile_deck(str(deck), BuildOptions(), cache=cache)
    assert second.cached == 2  # title and bullets; text changed, reproducibility hashes the spec
    cold = compile_deck(str(deck), BuildOptions())
    assert second.pptx == cold.pptx and second.proof == cold.proof


def test_a_slide_that_only_moved_is_reused_with_its_new_position(deck, build_cache):
    cache = Cache(str(build_cache))
    compile_deck(str(deck), BuildOptions(), cache=cache)
    deck.write_text(DECK.replace("sources: {}\n", "sources: {}\n# a comment pushes every slide down\n\n"))
    moved = compile_deck(str(deck), BuildOptions(), cache=cache)
    cold = compile_deck(str(deck), BuildOptions())
    assert moved.cached == 3
    assert moved.proof.to_json() == cold.proof.to_json()
    assert moved.placed.slides[1].origin.line == cold.placed.slides[1].origin.line == 10


def test_corrupt_cache_entries_are_misses(cli, deck, tmp_path, build_cache):
    cold = build(cli, deck, tmp_path / "cold.pptx", "--no-cache")
    build(cli, deck, tmp_path / "a.pptx")
    entries = [os.path.join(d, f) for d, _, fs in os.walk(build_cache) for f in fs if f != "hmac.key"]
    assert entries
    for path in entries:
        with open(path, "wb") as f:
            f.write(b"not a pickle")
    assert build(cli, deck, tmp_path / "b.pptx") == cold


def test_noop_rebuild_skips_and_a_touched_output_is_rebuilt(cli, deck, tmp_path):
    out = tmp_path / "deck.pptx"
    build(cli, deck, out)
    res = cli("build", str(deck), "-o", str(out))
    assert res.code == 0 and "up to date" in res.err
    original = out.read_bytes()
    out.write_bytes(b"edited by hand")
    res = cli("build", str(deck), "-o", str(out))
    assert "wrote" in res.err and out.read_bytes() == original


def test_an_edited_parent_theme_rebuilds_every_slide(cli, tmp_path):
    themes = tmp_path / "themes"
    themes.mkdir()
    (themes / "base.yaml").write_text(open(os.path.join(REPO, "themes", "light.yaml")).read().replace("name: light", "name: base"))
    (themes / "mine.yaml").write_text("name: mine\nextends: base\n")
    deck = tmp_path / "deck.yaml"
    deck.write_text(DECK.replace("theme: light", "theme: mine"))
    out = tmp_path / "deck.pptx"
    before = build(cli, deck, out)
    (themes / "base.yaml").write_text((themes / "base.yaml").read_text().replace("#FFFFFF", "#FAFAFA"))
    res = cli("build", str(deck), "-o", str(out))
    assert res.code == 0 and "wrote" in res.err and "cached" not in res.err
    assert sha(out) != before
