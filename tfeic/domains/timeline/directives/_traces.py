"""Helpers of the directives that read ``trace`` sources as wholes (``rank_skew``, ``trace_diff``):
the resolved value of a source option, and the comparison side it makes."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

from tfeic.core.diagnostics import SpecError
from tfeic.directives import slide_diagnostic

if TYPE_CHECKING:
    from tfeic.deck.model import SlideSpec
    from tfeic.domains.timeline import Timeline
    from tfeic.domains.timeline.diff import Side
    from tfeic.domains.timeline.traceset import TraceSet


def source_value(spec: SlideSpec, data: dict[str, Any], option: str, default: str | None = None) -> Timeline | TraceSet:
    """The trace or trace set the option names, or a SpecError naming the missing source."""
    if option not in data:
        name = spec.options.get(option, default)
        raise SpecError(slide_diagnostic(spec, option, f"no trace source named {name!r}", spec.pos_of(option),
                                         hint="declare it under sources: with kind: trace"))
    value: Timeline | TraceSet = data[option]
    return value


def side(spec: SlideSpec, data: dict[str, Any], option: str) -> Side:
    """One side of a comparison: a trace's whole summary, or a set's per-rank summaries, labelled
    with the trace's file name (or the set's folder) for the caption, with the taxonomy it was read with."""
    from tfeic.domains.timeline.diff import side_of
    from tfeic.domains.timeline.traceset import TraceSet

    value = source_value(spec, data, option)
    if isinstance(value, TraceSet):
        folder = os.path.dirname(value.ranks[0].path)
        return side_of(f"{len(value.ranks)} ranks in {folder or '.'}", [r.summary for r in value.ranks], value.taxonomy)
    return side_of(os.path.basename(value.path), [value.summary()], value.taxonomy)
