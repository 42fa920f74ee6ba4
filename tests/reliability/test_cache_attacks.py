"""The build cache runs no code from a deck folder: a planted ``.tfeic-cache/`` next to the deck is
never read, a forged entry in the real cache fails its MAC and is never unpickled, and a cache
directory others could write turns caching off. The payload is a real ``__reduce__`` pickle that
creates a marker file when unpickled (checked here first), so "no marker" means "never unpickled"."""

from __future__ import annotations

import hashlib
import hmac
import os
import pickle
import stat

import pytest

from tfeic.pipeline import BuildOptions, plan_build
from tfeic.core.cache import Cache, slide_key
from tfeic.core.cache.keys import digest
from tfeic.directives import DIRECTIVES

from cli.conftest import deck  # noqa: F401 (a fixture); tests/ is on sys.path, the packages' root

from .harness import build


class Payload:
    """Unpickling it opens ``marker`` for writing, which creates the file: code from data."""

    def __init__(self, marker: str):
        self.marker = marker

    def __reduce__(self):
        return (open, (self.marker, "w"))


def planted_keys(deck) -> dict[str, list[str]]:
    """Every key the old cache (``.tfeic-cache/`` next to the deck) would have read for this deck
    and output: slide keys as the old code computed them (the theme's digest without its fonts)
    and as this code does, the rendering of the deck and the output record."""
    plan = plan_build(str(deck), BuildOptions())
    d = plan.deck
    deck_digest = digest({"title": d.title, "author": d.author, "date": d.date, "options": d.options})
    old = [slide_key(s.kind, s.options, s.notes, {}, [], deck_digest, digest(plan.theme),
                     (plan.build, []) if getattr(DIRECTIVES.get(s.kind), "late", False) else None) for s in d.slides]
    return {"slides": sorted({*old, *filter(None, plan.keys.values())}),
            "renderings": [digest(os.path.abspath(deck))],
            "outputs": [digest(os.path.abspath(deck.parent / "out.pptx"))]}


def plant(root, keys: dict[str, list[str]], blob) -> int:
    """Write ``blob(namespace, key)`` at every key's path under ``root``; returns how many."""
    count = 0
    for namespace, names in keys.items():
        for key in names:
            path = root / namespace / key[:2] / key
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(blob(namespace, key))
            count += 1
    return count


FORGERIES = {
    "no MAC": lambda payload: lambda ns, key: payload,
    "MAC with another key": lambda payload: lambda ns, key: hmac.new(
        b"a guessed key", f"{ns}/{key}\n".encode() + payload, hashlib.sha256).digest() + payload,
}


@pytest.mark.parametrize("forgery", FORGERIES)
def test_planted_and_forged_pickles_are_never_unpickled(cli, deck, tmp_path, build_cache, forgery):
    marker = tmp_path / "pwned"
    payload = pickle.dumps(Payload(str(marker)))
    pickle.loads(payload)  # the payload is live: unpickled, it creates the marker
    assert marker.exists()
    marker.unlink()
    cold = build(cli, deck, tmp_path / "cold.pptx").code, (tmp_path / "cold.pptx").read_bytes()
    keys = planted_keys(deck)
    assert plant(tmp_path / ".tfeic-cache", keys, lambda ns, key: payload) >= 5  # the deck folder ships a cache
    Cache(str(build_cache))  # the real cache directory and its key exist; forge entries in it
    plant(build_cache, keys, FORGERIES[forgery](payload))
    first = cli("build", str(deck), "-o", str(tmp_path / "out.pptx"))
    assert first.code == 0 and "wrote" in first.err and "cached" not in first.err, first.err  # every entry a miss
    second = cli("build", str(deck), "-o", str(tmp_path / "out.pptx"), "--proof", str(tmp_path / "proof.json"))
    assert second.code == 0 and "4 of 4 directives cached" in second.err, second.err  # the entries the first wrote
    assert not marker.exists()
    assert (0, (tmp_path / "out.pptx").read_bytes()) == cold
    again = cli("build", str(deck), "-o", str(tmp_path / "out.pptx"), "--proof", str(tmp_path / "proof.json"))
    assert "up to date" in again.err and not marker.exists()  # the real record replaced the forged one


def test_the_cache_and_its_key_are_private_and_never_next_to_the_deck(cli, deck, tmp_path, build_cache):
    assert cli("build", str(deck), "-o", str(tmp_path / "out.pptx"), "-q").code == 0
    assert sorted(os.listdir(tmp_path)) == ["deck.yaml", "out.pptx"]
    assert stat.S_IMODE(build_cache.stat().st_mode) == 0o700
    key = build_cache / "hmac.key"
    assert stat.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32
    entries = [p for p in build_cache.rglob("*") if p.is_file() and p != key]
    # MAC, then the pickle, or the JSON of the plain data a no-op build reads (the outputs record, the code-version memo)
    assert entries and all(p.read_bytes()[32:34] == b"\x80\x05" or p.read_bytes()[32:33] in (b"{", b'"') for p in entries)


def test_a_cache_directory_others_can_write_turns_caching_off(cli, deck, tmp_path, build_cache):
    build_cache.mkdir(mode=0o700)
    build_cache.chmod(0o777)
    first = cli("build", str(deck), "-o", str(tmp_path / "a.pptx"))
    assert first.code == 0 and first.err.count("warning: build cache off") == 1, first.err
    assert f"{build_cache}: warning: build cache off: mode 0777" in first.err
    assert os.listdir(build_cache) == []  # nothing written, nothing read
    second = cli("build", str(deck), "-o", str(tmp_path / "a.pptx"))
    assert "wrote" in second.err and "up to date" not in second.err


def test_a_cache_directory_of_another_user_turns_caching_off(cli, deck, tmp_path, build_cache):
    build_cache.mkdir(mode=0o700)
    if os.getuid() != 0:
        pytest.skip("only root can hand a directory to another user; the mode test covers the rest")
    os.chown(build_cache, 12345, 12345)
    result = cli("build", str(deck), "-o", str(tmp_path / "a.pptx"))
    assert result.code == 0 and "owned by uid 12345" in result.err
    assert os.listdir(build_cache) == []


def test_a_key_others_can_read_turns_caching_off(cli, deck, tmp_path, build_cache):
    Cache(str(build_cache))
    (build_cache / "hmac.key").chmod(0o644)
    result = cli("build", str(deck), "-o", str(tmp_path / "a.pptx"))
    assert result.code == 0 and "hmac.key: warning: build cache off: mode 0644" in result.err
    assert os.listdir(build_cache) == ["hmac.key"]
