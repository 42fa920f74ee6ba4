"""An edit inside one slide directive is spliced into the previous build (``tfeic.splice``), and the
result is what a cold build of the edited deck gives: the same bytes, the same warnings and errors,
the same exit code. Random edits (seeded) of a deck with tables, a chart, a picture, notes and a
slide whose text shrinks; each is built both ways, and the test counts how many were spliced, so a
splice that always gave up would fail it too."""

from __future__ import annotations

import random
import re

import pytest
from PIL import Image

import tfeic.pipeline
from tests.conftest import run_cli
from tfeic.splice import _common_prefix, _common_suffix

LONG = "a" * 80  # one word wider than the light theme's body box at its size: the list shrinks
DECK = f"""\
title: Spliced deck
date: "2026-01-02"
theme: light
sources:
  t: {{kind: table, path: t.csv}}
slides:
  - kind: title
    subtitle: A subtitle
    notes: Opening words.
  - kind: bullets
    title: Points
    items:
      - One point
      - Two points
  - kind: text
    title: Prose
    text: Some words that fit.
  - kind: table
    header: [Name, Value]
    title: Numbers
    rows:
      - [a, "1"]
      - [b, "2"]
    notes: About the table.
  - kind: chart
    title: A chart
    chart: bar
    source: t
    y: v
    x: name
  - kind: image
    path: red.png
    title: A picture
  - kind: bullets
    title: Crowded
    items:
      - One
      - {LONG}
  - kind: text
    title: Last words
    text: The end.
"""
TITLES = ["Points", "Prose", "Numbers", "A chart", "A picture", "Crowded", "Last words"]


def _retitle(text: str, rng: random.Random) -> str:
    title = rng.choice(TITLES)
    return text.replace(f"title: {title}\n", f"title: {title} {rng.choice(['again', 'and more', 'x' * 30])}\n", 1)


def _add_item(text: str, rng: random.Random) -> str:
    return text.replace("      - Two points\n", "      - Two points\n      - A third, longer point\n", 1)


def _blank_lines(text: str, rng: random.Random) -> str:  # moves every later directive down (positions shift)
    return text.replace("    text: Some words that fit.\n", "    text: Some words that fit.\n\n    # a comment\n", 1)


def _drop_line(text: str, rng: random.Random) -> str:
    return text.replace("    notes: About the table.\n", "", 1)


def _add_notes(text: str, rng: random.Random) -> str:  # a notes slide more: later notes slides renumber
    return text.replace("    text: The end.\n", "    text: The end.\n    notes: Closing words.\n", 1)


def _bad_option(text: str, rng: random.Random) -> str:  # a problem to report, as a whole load reports it
    return text.replace("    chart: bar\n", "    chart: barr\n", 1)


def _dedent(text: str, rng: random.Random) -> str:  # a line that leaves the slides list: not one item
    return text.replace("    subtitle: A subtitle\n", "subtitle: A subtitle\n", 1)


def _deck_title(text: str, rng: random.Random) -> str:
    return text.replace("title: Spliced deck\n", "title: Spliced deck, edited\n", 1)


def _new_slide(text: str, rng: random.Random) -> str:
    return text.replace("  - kind: image\n", "  - kind: text\n    title: New\n    text: Inserted.\n  - kind: image\n", 1)


def _grow_table(text: str, rng: random.Random) -> str:
    return text.replace('      - [b, "2"]\n', '      - [b, "2"]\n      - [c, "3"]\n', 1)


def _paginate(text: str, rng: random.Random) -> str:  # one directive, more slides: later slides renumber
    return text.replace("      - Two points\n", "".join(f"      - Point {i}, said at length\n" for i in range(14)), 1)


def _no_final_newline(text: str, rng: random.Random) -> str:
    return text.rstrip("\n") if text.endswith("\n") else text + "\n"


def _indent_next(text: str, rng: random.Random) -> str:  # the next directive's first line moves a column
    return text.replace("  - kind: text\n    title: Last words\n", "   - kind: text\n    title: Last words\n", 1)


def _join_lines(text: str, rng: random.Random) -> str:  # a directive's last line and the next one's first joined
    return text.replace("    text: Some words that fit.\n  - kind", "    text: Some words that fit.  - kind", 1)


EDITS = [_retitle, _retitle, _retitle, _add_item, _blank_lines, _drop_line, _add_notes, _bad_option, _dedent,
         _deck_title, _new_slide, _grow_table, _paginate, _no_final_newline, _indent_next, _join_lines]


def indentless(text: str) -> str:
    """The deck with its slides written as YAML's indentless sequence (``- kind`` at column 1)."""
    head, _, slides = text.partition("slides:\n")
    return head + "slides:\n" + "".join(line[2:] + "\n" for line in slides.splitlines())


@pytest.fixture
def workdir(tmp_path):
    (tmp_path / "t.csv").write_text("name,v\na,1\nb,2\n")
    Image.new("RGB", (4, 2), "red").save(tmp_path / "red.png")
    (tmp_path / "deck.yaml").write_text(DECK)
    return tmp_path


@pytest.fixture
def whole_builds(monkeypatch):
    """How many builds planned the whole deck (the others were spliced)."""
    calls = []
    plan_build = tfeic.pipeline.plan_build

    def counted(*args, **kwargs):
        calls.append(1)
        return plan_build(*args, **kwargs)

    monkeypatch.setattr(tfeic.pipeline, "plan_build", counted)
    return calls


def said(err: str) -> list[str]:
    """What a build told the user, but its progress and its 'wrote' line (which counts cached directives)."""
    return [line for line in err.splitlines() if not line.startswith("tfeic: ") and not line.startswith("wrote ")]


def build_both(workdir) -> tuple[tuple[int, bytes | None, list[str]], tuple[int, bytes | None, list[str]]]:
    results = []
    for name, extra in (("kept.pptx", ()), ("cold.pptx", ("--no-cache",))):
        out = workdir / name
        out.unlink(missing_ok=True)
        run = run_cli("build", str(workdir / "deck.yaml"), "-o", str(out), *extra)
        results.append((run.code, out.read_bytes() if out.exists() else None,
                        said(run.err.replace(name, "OUT"))))
    return results[0], results[1]


def with_reproducibility(text: str) -> str:
    """The deck with a late directive first (rebuilt by every splice)."""
    return text.replace("slides:\n", "slides:\n  - kind: reproducibility\n", 1)


@pytest.mark.parametrize("written", [str, indentless, with_reproducibility], ids=["indented", "indentless", "late"])
def test_random_edits_build_as_cold_builds(workdir, whole_builds, written):
    """Edits are made to the deck as ``DECK`` writes it; ``written`` is how the file then writes it."""
    deck = workdir / "deck.yaml"
    deck.write_text(written(DECK))
    first, cold = build_both(workdir)
    assert first == cold and first[0] == 0
    assert any("text shrunk" in line for line in first[2])  # the warnings a splice keeps are exercised
    rng, spliced, edits, text = random.Random(19), 0, 0, DECK
    for _ in range(30):
        edited = rng.choice(EDITS)(text, rng)
        if edited == text:
            continue
        deck.write_text(written(edited))
        before = len(whole_builds)
        kept, cold = build_both(workdir)
        edits += 1
        spliced += len(whole_builds) == before + 1  # only the cold build planned the whole deck
        assert kept == cold, f"edit {edits}: {edited}"
        if kept[0] == 0:
            text = edited  # else back to the last deck that built
    assert edits >= 20
    assert spliced >= 6, spliced


def test_a_spliced_warning_moves_with_its_slide(workdir, whole_builds):
    build_both(workdir)
    deck = workdir / "deck.yaml"
    deck.write_text(_blank_lines(DECK, random.Random(0)))
    before = len(whole_builds)
    kept, cold = build_both(workdir)
    assert len(whole_builds) == before + 1  # spliced
    line = DECK.splitlines().index("    title: Crowded") + 2 + 1  # 1-based, two lines inserted above
    shrunk = [w for w in kept[2] if "text shrunk" in w]
    assert shrunk and all(f"deck.yaml:{line - 1}:5:" in w for w in shrunk)  # the item's position: "kind" a line above
    assert kept == cold


@pytest.mark.parametrize("edit", [_indent_next, _join_lines])
def test_an_edit_at_a_directive_boundary_is_never_spliced(workdir, whole_builds, edit):
    """Text added before the next directive's ``- `` (or a line break taken away) leaves that
    directive's text unchanged but no longer starting a line: the file now means something else
    (here: it no longer parses), so the build is whole and says what a cold build says."""
    deck = workdir / "deck.yaml"
    build_both(workdir)
    deck.write_text(edit(DECK, random.Random(0)))
    before = len(whole_builds)
    kept, cold = build_both(workdir)
    assert len(whole_builds) == before + 2
    assert kept == cold and kept[0] == 2


@pytest.mark.parametrize("change", ["after", "anchor", "directive", "data"])
def test_what_is_never_spliced(workdir, whole_builds, change):
    """A field after the slides, an anchor (an alias elsewhere could depend on the edited text), a
    YAML directive (a %TAG could give a tag another meaning), or a data file edited with the deck:
    every such build is whole."""
    text = DECK
    if change == "after":
        text = text.replace("theme: light\n", "") + "theme: light\n"
    if change == "anchor":
        text = text.replace("    subtitle: A subtitle\n", "    subtitle: &sub A subtitle\n")
    if change == "directive":
        text = "%YAML 1.1\n---\n" + text
    (workdir / "deck.yaml").write_text(text)
    build_both(workdir)
    (workdir / "deck.yaml").write_text(text.replace("title: Prose\n", "title: Prose, edited\n"))
    if change == "data":
        (workdir / "t.csv").write_text("name,v\na,5\nb,2\n")
    before = len(whole_builds)
    kept, cold = build_both(workdir)
    assert len(whole_builds) == before + 2
    assert kept == cold and kept[0] == 0


@pytest.mark.parametrize("where", ["last", "first"])
def test_a_late_directive_is_rebuilt_by_every_splice(workdir, whole_builds, where):
    """The reproducibility slide shows the deck's digest, which every edit changes, and every picture
    the deck shows (here the kept image slide's): a splice rebuilds it, wherever it is."""
    deck = workdir / "deck.yaml"
    late = "  - kind: reproducibility\n"
    deck.write_text(DECK + late if where == "last" else DECK.replace("slides:\n", "slides:\n" + late))
    build_both(workdir)
    deck.write_text(deck.read_text().replace("title: Prose\n", "title: Prose, edited\n"))
    before = len(whole_builds)
    kept, cold = build_both(workdir)
    assert len(whole_builds) == before + 1  # spliced
    assert kept == cold and kept[0] == 0
    assert b"red.png" in _slide_xml(kept[1], "Reproducibility")


def _slide_xml(pptx: bytes, containing: str) -> bytes:
    """The XML of the one slide of ``pptx`` whose text holds ``containing``."""
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(pptx)) as z:
        found = [z.read(n) for n in z.namelist() if n.startswith("ppt/slides/slide") and containing.encode() in z.read(n)]
    assert len(found) == 1
    return found[0]


@pytest.mark.parametrize("a, b", [("", ""), ("abc", "abc"), ("abc", "abd"), ("xabc", "abc"), ("ab", "abab"),
                                  ("slides: 1\n", "slides: 12\n"), ("aaaa", "aa")])
def test_common_prefix_and_suffix(a, b):
    prefix = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
    assert _common_prefix(a, b) == prefix
    limit = min(len(a), len(b)) - prefix
    suffix = next((i for i, (x, y) in enumerate(zip(reversed(a), reversed(b))) if x != y), min(len(a), len(b)))
    assert _common_suffix(a, b, limit) == min(suffix, limit)
    assert re.escape(a[:prefix]) is not None
