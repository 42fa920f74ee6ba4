"""Every deck in decks/ meets issue 17's numbers, read from the .pptx XML by scripts/deck_metrics.py
(which shares no code with tfeic): no text under 12 pt, no run under WCAG AA on what it is drawn on,
table text at 18 pt or more (14 pt in a monospaced, dense table). The script itself is checked on a
file made here with python-pptx, whose sizes and contrasts the test writes out by hand."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Pt

ROOT = Path(__file__).resolve().parents[2]
DECKS = sorted((ROOT / "decks").glob("*.yaml"))


def _metrics_module():
    spec = importlib.util.spec_from_file_location("deck_metrics", ROOT / "scripts" / "deck_metrics.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up while being made
    spec.loader.exec_module(module)
    return module


METRICS = _metrics_module()


@pytest.mark.parametrize("dry", [False, True], ids=["recorded", "dry-run"])
@pytest.mark.parametrize("deck", DECKS, ids=[d.stem for d in DECKS])
def test_every_deck_meets_the_floors_and_aa(cli, tmp_path, deck, dry):
    out = tmp_path / f"{deck.stem}.pptx"
    result = cli("build", str(deck), "-o", str(out), "-q", *(["--dry-run"] if dry else []))
    assert result.code == 0, result.err
    m = METRICS.metrics(METRICS.deck_runs(str(out)))
    assert m["runs"] > 0
    assert m["smallest_pt"] >= 12, m
    assert m["runs_below_aa"] == 0, m["examples_below_aa"]
    assert m["table_runs_under_floor"] == 0, m


def _bad_deck(path: Path) -> None:
    """One slide: a 10 pt run of #999999 on white (2.85:1), a 24 pt run of #777777 (4.48:1, passes
    the 3:1 of large text), and a 12 pt table cell (under the 18 pt table floor)."""
    prs = Presentation()
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    box = slide.shapes.add_textbox(0, 0, Pt(300), Pt(100)).text_frame
    for text, size, rgb in (("small pale", 10, "999999"), ("large grey", 24, "777777")):
        run = box.add_paragraph().add_run()
        run.text, run.font.size, run.font.color.rgb = text, Pt(size), RGBColor.from_string(rgb)
    cell = slide.shapes.add_table(1, 1, 0, Pt(200), Pt(200), Pt(40)).table.cell(0, 0)
    run = cell.text_frame.paragraphs[0].add_run()
    run.text, run.font.size, run.font.color.rgb = "cell", Pt(12), RGBColor.from_string("000000")
    cell.fill.solid()
    cell.fill.fore_color.rgb = RGBColor.from_string("FFFFFF")
    prs.save(str(path))


def test_the_script_catches_small_text_low_contrast_and_small_table_cells(tmp_path):
    _bad_deck(tmp_path / "bad.pptx")
    m = METRICS.metrics(METRICS.deck_runs(str(tmp_path / "bad.pptx")))
    chars = len("small pale") + len("large grey") + len("cell")
    assert m["smallest_pt"] == 10
    assert m["chars_under_14pt"] == round((len("small pale") + len("cell")) / chars, 4)
    assert m["runs_below_aa"] == 1 and "'small pale' 10 pt #999999 on #FFFFFF 2.85:1" in m["examples_below_aa"][0]
    assert m["table_runs_under_floor"] == 1
