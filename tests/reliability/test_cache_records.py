"""What the cache records is what produced an output: the font bytes a layout was measured with,
the deck that made an output, and the bytes the build itself wrote; and builds racing on one cache
and one output leave it whole. Builds that must see a changed font run in their own process, as a
user's would (a process measures each font file once)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

from cli.conftest import DECK, deck  # noqa: F401 (a fixture); tests/ is on sys.path, the packages' root
from tfeic.core.cache import outputs
from tfeic.core.resources import THEMES_DIR

REPO = Path(__file__).resolve().parents[2]
LIBERATION = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"  # about 10 % wider than Liberation Sans
# long enough that the text cannot grow to its role's largest size in either font, so the font decides its size
WRAPPING = " ".join(["Measured text wraps differently in a wider font"] * 14)


def tfeic(*argv: str, cache: Path | None = None) -> subprocess.CompletedProcess:
    """``tfeic`` in a process of its own (with the per-user cache at ``cache``, default: the test's)."""
    env = {**os.environ, "PYTHONPATH": str(REPO), **({"TFEIC_CACHE_DIR": str(cache)} if cache else {})}
    return subprocess.run([sys.executable, "-m", "tfeic", *argv], capture_output=True, text=True, env=env, timeout=60)


def font_deck(root: Path) -> Path:
    """A deck whose theme measures its sans text with ``themes/Mine-Regular.ttf``, a file in the deck's folder."""
    (root / "themes").mkdir()
    light = Path(THEMES_DIR, "light.yaml").read_text()
    (root / "themes" / "mine.yaml").write_text(light.replace("name: light", "name: mine")
                                               .replace("LiberationSans-Regular.ttf", "Mine-Regular.ttf"))
    shutil.copyfile(LIBERATION, root / "themes" / "Mine-Regular.ttf")
    path = root / "deck.yaml"
    path.write_text(DECK.replace("theme: light", "theme: mine").replace("Some words that fit.", WRAPPING))
    return path


def test_a_changed_font_file_invalidates_cached_layouts_and_the_noop_check(tmp_path):
    spec, out, proof = font_deck(tmp_path), tmp_path / "out.pptx", tmp_path / "proof.json"
    args = [str(spec), "-o", str(out), "--proof", str(proof)]
    assert tfeic("build", *args).returncode == 0
    before = proof.read_text()
    shutil.copyfile(DEJAVU, tmp_path / "themes" / "Mine-Regular.ttf")
    rebuilt = tfeic("build", *args)
    assert rebuilt.returncode == 0 and "up to date" not in rebuilt.stderr, rebuilt.stderr
    assert "4 of 4 directives cached" not in rebuilt.stderr
    cached = proof.read_text()
    # a cold build in an empty cache (not --no-cache: the reproducibility slide shows the command line)
    assert tfeic("build", *args, cache=tmp_path / "empty").returncode == 0
    assert cached == proof.read_text() != before  # the cold build with the new font agrees; the font mattered
    again = tfeic("build", *args)
    assert "up to date" in again.stderr  # and the record now holds the new font's digest


def test_a_racing_build_of_another_deck_never_leaves_up_to_date(cli, tmp_path, monkeypatch):
    """Deck B's build replaces the output between deck A's write and A's record: the record names
    the bytes A wrote, so a rebuild of A is not 'up to date' with B's bytes."""
    a, b, out = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "out.pptx"
    a.write_text(DECK)
    b.write_text(DECK.replace("title: Small deck", "title: Another deck"))
    assert cli("build", str(a), "-o", str(tmp_path / "a-cold.pptx"), "-q", "--no-cache").code == 0
    remember, raced = outputs.remember, []

    def racing(*args, **kwargs):
        if not raced:
            raced.append(True)
            assert cli("build", str(b), "-o", str(out), "-q", "--no-cache").code == 0
        remember(*args, **kwargs)

    monkeypatch.setattr(outputs, "remember", racing)
    assert cli("build", str(a), "-o", str(out), "-q").code == 0 and raced
    monkeypatch.undo()
    assert out.read_bytes() != (tmp_path / "a-cold.pptx").read_bytes()  # B's bytes won the race
    again = cli("build", str(a), "-o", str(out))
    assert "wrote" in again.err, again.err
    assert out.read_bytes() == (tmp_path / "a-cold.pptx").read_bytes()


def test_another_deck_to_the_same_output_is_never_up_to_date(cli, tmp_path):
    a, b, out = tmp_path / "a.yaml", tmp_path / "b.yaml", tmp_path / "out.pptx"
    a.write_text(DECK)
    b.write_text(DECK)  # the same text: only the record's deck path tells them apart
    for spec in (a, b, a):
        result = cli("build", str(spec), "-o", str(out))
        assert result.code == 0 and "wrote" in result.err, result.err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_concurrent_builds_share_the_cache_and_the_output_safely(cli, deck, tmp_path, build_cache):  # noqa: F811
    out, other = tmp_path / "out.pptx", tmp_path / "other.pptx"
    argv = ["build", str(deck), "-q", "-o", str(out)]  # the same command line: the same bytes
    assert tfeic(*argv, cache=tmp_path / "empty").returncode == 0
    cold = sha(out)
    out.unlink()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    racers = [subprocess.Popen([sys.executable, "-m", "tfeic", *args], env=env, stderr=subprocess.PIPE, text=True)
              for args in (argv, argv, [*argv[:-1], str(other)])]
    results = [(p.wait(timeout=120), p.stderr.read()) for p in racers]
    for p in racers:
        p.stderr.close()
    assert results == [(0, "")] * 3
    assert sha(out) == cold and other.read_bytes()[:2] == b"PK"
    assert not [name for name in os.listdir(tmp_path) if name.endswith(".tmp")]
    assert not [p for p in build_cache.rglob(".tmp-*")]  # every cache write was renamed into place
    inode = out.stat().st_ino
    assert tfeic(*argv).returncode == 0 and out.stat().st_ino == inode  # a no-op: the record names the bytes on disk
    cached = cli("build", str(deck), "-o", str(tmp_path / "cached.pptx"))
    assert "3 of 4 directives cached" in cached.err  # all but the reproducibility slide (another command line)
    assert cli("build", str(deck), "-o", str(tmp_path / "cold.pptx"), "--no-cache").code == 0
    assert sha(tmp_path / "cached.pptx") == sha(tmp_path / "cold.pptx")
