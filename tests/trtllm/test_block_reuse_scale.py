"""kv-offloading's two event slides share one x scale (``block_reuse`` option ``events``): read from
the built .pptx, an event's column starts at the same x on both slides, and a span shorter than the
source's events is one exit-2 error at the option."""

import subprocess
import sys
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE

import tfeic.directives.builtin  # noqa: F401
from tfeic.core.diagnostics import Pos, SpecError
from tfeic.deck.model import SlideSpec
from tfeic.directives import DIRECTIVES, ExpandContext

from .test_directives_and_decks import deck, load

REPO = Path(__file__).resolve().parents[2]


def leaves(shapes):
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP:
            yield from leaves(shape.shapes)
        else:
            yield shape


def event_columns(slide) -> dict[int, int]:
    """Event id -> left edge (EMU) of every bar starting at that event and every tick, as drawn."""
    columns: dict[int, set[int]] = {}
    for shape in leaves(slide.shapes):
        name = shape.name
        if name.startswith("tick "):
            columns.setdefault(int(name.split()[1]), set()).add(shape.left)
        elif name.startswith(("stored #", "offloaded #", "onboarded #")):
            columns.setdefault(int(name.rsplit("@", 1)[1]), set()).add(shape.left)
    assert all(len(xs) == 1 for xs in columns.values())  # one column, one x, on a slide
    return {eid: xs.pop() for eid, xs in columns.items()}


def test_both_event_slides_put_an_event_at_the_same_x(tmp_path):
    out = tmp_path / "kv.pptx"
    subprocess.run([sys.executable, "-m", "tfeic", "build", str(REPO / "decks" / "kv-offloading.yaml"), "-o", str(out)],
                   check=True, cwd=REPO, capture_output=True)
    slides = [s for s in Presentation(str(out)).slides
              if any(sh.name == "axis title" for sh in leaves(s.shapes))]
    assert len(slides) == 2
    without, with_ = (event_columns(s) for s in slides)
    shared = sorted(set(without) & set(with_))
    assert len(shared) >= 3  # the bars at events 1 and 2 and the ticks the two slides share
    assert all(without[e] == with_[e] for e in shared)
    # one column width on both slides: (x of event b - x of event a) / (b - a), same value
    a, b = shared[0], shared[-1]
    width = (with_[b] - with_[a]) / (b - a)
    assert width > 0
    assert all(abs((xs[e] - xs[a]) - (e - a) * width) <= 1 for xs in (without, with_) for e in xs)
    # the axis holds 18 columns (the deck's events: 18, the longer stream's ids 0..17) on both slides
    for slide in slides:
        (axis,) = [sh for sh in leaves(slide.shapes) if sh.name == "axis"]
        assert abs(axis.width - 18 * width) <= 18
        assert axis.left == with_[0]
    # the shorter stream (ids 0..11) leaves columns 12..17 empty: no tick or bar starts there
    assert max(without) <= 11


def test_a_span_shorter_than_the_events_is_one_error_at_the_option():
    events = load("kv_events", path="events_with_offloading.json")  # 18 events
    spec = SlideSpec(0, "block_reuse", {"events": 12}, Pos("deck.yaml", 9, 5), positions={"events": Pos("deck.yaml", 11, 13)})
    with pytest.raises(SpecError) as err:
        DIRECTIVES.get("block_reuse").expand(spec, {"source": events}, ExpandContext(deck(), None))
    (diag,) = err.value.diagnostics
    assert diag.pos == Pos("deck.yaml", 11, 13)
    assert "12 event columns" in diag.message and "18 events" in diag.message
