"""Helpers of the directives that read ``trace`` sources as wholes (``rank_skew``, ``trace_diff``):
the resolved value of a source option, and the comparison side it makes."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..core.diagnostics import SpecError
from . import slide_diagnostic

if TYPE_CHECKING:
    from ..deck.model import SlideSpec
    from ..domains.timeline import Timeline
    from ..domains.timeline.diff import Side
    from ..domains.timeline.traceset import TraceSet


def source_value(spec: SlideSpec, data: dict[str, Any], option: str, default: str | None = None) -> Timeline | TraceSet:
    """The trace or trace set the option names, or a SpecError naming the missing source."""
    if option not in data:
        name = spec.options.get(option, default)
        raise SpecError(slide_diagnostic(spec, option, f"no trace source named {name!r}", spec.pos_of(option),
                                         hint="declare it under sources: with kind: trace"))
    value: Timeline | TraceSet = data[option]
    return value


def side(spec: SlideSpec, data: dict[str, Any], option: str) -> Side:
    """One side of a comparison: a trace's whole summary, or a set's per-rank summaries."""
    from ..domains.timeline.diff import side_of
    from ..domains.timeline.traceset import TraceSet

    value = source_value(spec, data, option)
    label = str(spec.options.get("labels", {}).get(option, spec.options[option]))
    if isinstance(value, TraceSet):
        return side_of(label, [r.summary for r in value.ranks])
    return side_of(label, [value.summary()])
