"""The fast no-op check (issue 19) stays exact: a digest an earlier build took is trusted only while
the file's stat keeps the signature it had, then settled, so any edit of an input or of the output
(even one that keeps its size and mtime) still rebuilds; a file changed too recently is never
trusted; the deck is digested before the build reads it; a record an older tfeic pickled is a miss;
builds racing to create the cache's key share one (so a no-op after them is one); and what the
check no longer computes up front (the terminal's escape patterns, the terminal's width for
argparse) comes out as before."""

from __future__ import annotations

import argparse
import hashlib
import hmac
import os
import pickle
import time
import zipfile

import pytest

import tfeic.cli
import tfeic.deck
from tfeic.core.cache import Cache, Digests, keys, store
from tfeic.core.digest import RACY_SECONDS
from tfeic.core.terminal import terminal_safe

from .conftest import DECK

FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"  # installed long ago: settled
WORDS_DECK = DECK.replace("text: Some words that fit.", "text: words.txt")  # a slide option naming a file


def settle() -> None:
    """Wait until files written before now are older than the racy window."""
    time.sleep(RACY_SECONDS + 0.1)


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def hashed(monkeypatch) -> list[str]:
    """The paths the build cache's digests read from now on (each trusted file is only stat-ed)."""
    seen: list[str] = []
    real = keys.signed_file_sha256

    def spy(path: str):
        seen.append(path)
        return real(path)

    monkeypatch.setattr(keys, "signed_file_sha256", spy)
    return seen


def edit_in_place(path, data: bytes) -> None:
    """New bytes of the same size, with the old mtime put back (only the ctime tells)."""
    st = path.stat()
    assert len(data) == st.st_size
    path.write_bytes(data)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def slide_text(pptx) -> str:
    with zipfile.ZipFile(pptx) as z:
        return "".join(z.read(n).decode() for n in z.namelist() if n.startswith("ppt/slides/slide"))


def build(cli, spec, out):
    result = cli("build", str(spec), "-o", str(out))
    assert result.code == 0, result.err
    return result.err


def test_settled_inputs_are_only_stated_and_an_edit_that_keeps_size_and_mtime_rebuilds(cli, tmp_path, hashed):
    spec, words, out = tmp_path / "deck.yaml", tmp_path / "words.txt", tmp_path / "out.pptx"
    spec.write_text(WORDS_DECK)
    words.write_bytes(b"first")
    settle()
    assert "wrote" in build(cli, spec, out)  # the deck, words.txt and the fonts were settled: the record signs them
    hashed.clear()
    assert "up to date" in build(cli, spec, out)
    assert hashed == [str(out)]  # only the output, written just now, is read again
    edit_in_place(words, b"fir5t")
    assert "wrote" in build(cli, spec, out)
    assert str(words) in hashed


def test_the_output_once_settled_is_signed_once_and_an_edit_of_it_still_rebuilds(cli, deck, tmp_path, hashed,
                                                                                 build_cache):
    out = tmp_path / "out.pptx"
    build(cli, deck, out)  # the deck and the output are too recent to be trusted to their stats
    written = out.read_bytes()
    settle()
    hashed.clear()
    assert "up to date" in build(cli, deck, out)
    assert sorted(hashed) == sorted([str(deck), str(out)])
    record = next(p for p in (build_cache / "outputs").rglob("*") if p.is_file())
    signed = record.stat().st_mtime_ns
    hashed.clear()
    assert "up to date" in build(cli, deck, out)
    assert hashed == [] and record.stat().st_mtime_ns == signed  # nothing read, the record not written again
    edit_in_place(out, written[:-1] + bytes([written[-1] ^ 1]))
    assert "wrote" in build(cli, deck, out)
    assert out.read_bytes() == written


def test_a_file_changed_within_the_racy_window_is_not_signed_and_a_signature_is_trusted_only_while_it_holds(tmp_path):
    with open(FONT, "rb") as f:
        font = f.read()
    digests = Digests()
    assert digests.file(FONT) == sha(font)
    [(path, (signature, digest))] = digests.signed([FONT]).items()
    assert (path, digest) == (FONT, sha(font))
    trusting = Digests()
    trusting.trust({FONT: [signature, "f" * 64]})
    assert trusting.file(FONT) == "f" * 64  # the stat holds: the digest given is used, the file not read
    fresh = tmp_path / "fresh.bin"
    fresh.write_bytes(b"new")
    stale = Digests()
    stale.trust({str(fresh): [signature, "f" * 64]})  # another file's signature
    assert stale.file(str(fresh)) == sha(b"new")
    assert stale.signed([str(fresh)]) == {}  # written just now: no later build may trust its stat


def test_a_deck_edited_after_the_build_read_it_is_rebuilt_next_time(cli, deck, tmp_path, monkeypatch):
    out = tmp_path / "out.pptx"
    real = tfeic.deck.load_deck

    def then_edit(*args, **kwargs):
        loaded = real(*args, **kwargs)
        deck.write_text(DECK.replace("A subtitle", "Another subtitle"))  # after the build read it
        return loaded

    monkeypatch.setattr(tfeic.deck, "load_deck", then_edit)
    build(cli, deck, out)
    monkeypatch.setattr(tfeic.deck, "load_deck", real)  # not undo(): that would undo the per-test cache too
    assert "A subtitle" in slide_text(out)
    assert "wrote" in build(cli, deck, out)  # the record names the deck as the build read it
    assert "Another subtitle" in slide_text(out)
    assert "up to date" in build(cli, deck, out)


def test_an_outputs_record_an_older_tfeic_pickled_is_a_miss(cli, deck, tmp_path, build_cache):
    out = tmp_path / "out.pptx"
    build(cli, deck, out)
    [record] = [p for p in (build_cache / "outputs").rglob("*") if p.is_file()]
    mac_key = (build_cache / "hmac.key").read_bytes()
    payload = pickle.dumps({"build": "whatever"})
    mac = hmac.new(mac_key, f"outputs/{record.name}\n".encode() + payload, hashlib.sha256).digest()
    record.write_bytes(mac + payload)  # authentic, but not JSON
    assert "wrote" in build(cli, deck, out)
    assert "up to date" in build(cli, deck, out)


def test_builds_racing_to_create_the_cache_key_all_use_the_first(tmp_path, monkeypatch):
    root = tmp_path / "cache"
    first = os.urandom(store.KEY_BYTES)
    real = store._read_key

    def made_by_a_racer_meanwhile(path: str):  # our look finds no key; a racing build then writes its own
        monkeypatch.setattr(store, "_read_key", real)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        os.write(fd, first)
        os.close(fd)
        raise FileNotFoundError(path)

    monkeypatch.setattr(store, "_read_key", made_by_a_racer_meanwhile)
    ours = Cache(str(root))
    assert (root / "hmac.key").read_bytes() == first  # the racer's key stays
    ours.put_json("outputs", "k" * 64, ["written by us"])
    assert Cache(str(root)).get_json("outputs", "k" * 64) == ["written by us"]  # and is the one we use
    assert sorted(os.listdir(root)) == ["hmac.key", "outputs"]  # no temporary key left behind


def test_a_damaged_cache_key_is_replaced(tmp_path):
    root = tmp_path / "cache"
    root.mkdir(mode=0o700)
    key = root / "hmac.key"
    key.write_bytes(b"short")
    key.chmod(0o600)
    Cache(str(root)).put_json("outputs", "k" * 64, ["kept"])
    assert len(key.read_bytes()) == store.KEY_BYTES
    assert Cache(str(root)).get_json("outputs", "k" * 64) == ["kept"]
    assert sorted(os.listdir(root)) == ["hmac.key", "outputs"]


@pytest.mark.parametrize("columns", [None, "30", "79", "200", "0", "wide"])
def test_help_and_usage_errors_are_as_wide_as_argparse_makes_them(cli, monkeypatch, columns):
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    texts = [cli("--help").out, cli("build", "--help").out, cli("build", "--nope").err]
    monkeypatch.setattr(tfeic.cli, "_formatter", argparse.HelpFormatter)  # argparse's own (shutil's width)
    assert texts == [cli("--help").out, cli("build", "--help").out, cli("build", "--nope").err]
    assert "--dry-run" in texts[1]


@pytest.mark.parametrize("one_line", [False, True])
def test_ascii_text_is_escaped_exactly_as_before(one_line):
    for code in range(128):
        kept = 0x20 <= code < 0x7F or code == 0x09 or (code == 0x0A and not one_line)
        expected = "a" + (chr(code) if kept else f"\\x{code:02x}") + "b"
        assert terminal_safe(f"a{chr(code)}b", one_line=one_line) == expected
