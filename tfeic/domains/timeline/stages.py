"""Stages counted once: a stage range nested inside another stage range of the same kind is the
same step annotated twice, and only the outermost one counts.

Frameworks stack annotations: SGLang on MI300X records one EXTEND step as a vLLM-style
``execute_15360_context_15(...)_generation_0(...)`` range with ``step[EXTEND bs=15 toks=15360]``
inside it (tests/fixtures/traces/tracelens_sglang_Qwen3-8B_prefilldecode_mi300x.json.gz), and a decode
step as ``execute_32_context_0(...)_generation_32(...)`` around ``step[DECODE bs=32]``. Both rules
match, so counting each range would report two prefills. Ranges of different kinds nest on purpose
(a ``ProfilerStep#N`` holding prefill and decode steps) and are all kept.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from .model import Span, Stat, Summary


def nested_stages(ranges: Iterable[Span]) -> list[Span]:
    """The stage spans (lane "Stages") that lie inside an earlier or equal stage span of the same
    kind; the outermost of each nest is not among them."""
    nested: list[Span] = []
    outer_end: dict[str, int] = {}
    for span in sorted((s for s in ranges if s.lane == "Stages"), key=lambda s: (s.start_ns, -s.end_ns, s.name)):
        if span.end_ns <= outer_end.get(span.cls, -1):
            nested.append(span)
        else:
            outer_end[span.cls] = span.end_ns
    return nested


def counted_once(stages: Iterable[Span], nested: list[Span]) -> list[Span]:
    """``stages`` without the ``nested`` ones."""
    drop = {(s.name, s.start_ns, s.end_ns) for s in nested}
    return [s for s in stages if (s.name, s.start_ns, s.end_ns) not in drop]


def _minus(stats: tuple[Stat, ...], key: tuple[str, str], count: int, total: int) -> tuple[Stat, ...]:
    """``stats`` with ``count`` and ``total`` taken from the one named ``key`` (kept in place; gone at 0)."""
    out = (replace(s, count=s.count - count, total_ns=s.total_ns - total) if (s.name, s.kind) == key else s for s in stats)
    return tuple(s for s in out if s.count > 0)


def without_nested(summary: Summary, nested: Iterable[Span]) -> Summary:
    """``summary`` with each nested stage range taken out of its stage and of the Stages lane."""
    stages, lanes = summary.stages, summary.lanes
    for span in nested:
        stages = _minus(stages, (span.label, span.cls), 1, span.duration_ns)
        lanes = _minus(lanes, ("Stages", ""), 1, span.duration_ns)
    return replace(summary, stages=stages, lanes=lanes)
