"""TensorRT-LLM debug logs (``TLLM_LOG_LEVEL=DEBUG``): the block manager's reuse summary, pool
sizes, connector matches, per-block match/allocate lines.

The reuse summary is nine lines printed when a block manager is destroyed, each
``<manager> - <counter>: <value>`` where ``<manager>`` is ``BlockManager[windowSize=N]`` (older
releases: ``BlockManager``), behind ``[TensorRT-LLM][DEBUG] `` or ``[TensorRT-LLM][DEBUG][<rank>] ``.
A log may hold several summaries (one per attention window, per rank, or per LLM instance in one
process); a summary starts at its ``total allocated blocks`` line. ``cache hit rate`` is a
fraction; the two ``percentage (%)`` counters are percentages. Lines we do not know are ignored
(a debug log is mostly other things); a line we *do* know whose value does not parse is an error
at its file:line, because a silently skipped counter would put a wrong number on a slide.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from ...core.diagnostics import Diagnostic, Pos, SourceError

PREFIX = r"(?:\[TensorRT-LLM\]\[(?P<level>[A-Z]+)\](?:\[(?P<rank>[^\]]*)\])? ?)"
MANAGER = r"(?P<manager>BlockManager(?:\[windowSize=(?P<window>\d+)\])?)"

#: summary counter text -> ReuseSummary field
COUNTERS = {
    "total allocated blocks": "total_blocks",
    "allocated new blocks": "new_blocks",
    "missed blocks": "missed_blocks",
    "reused blocks": "reused_blocks",
    "reused unique blocks": "reused_unique_blocks",
    "reused unique blocks percentage (%)": "reused_unique_percent",
    "cache hit rate": "hit_rate",
    "reused tokens": "reused_tokens",
    "reused tokens percentage (%)": "reused_tokens_percent",
}
FIRST_COUNTER = "total allocated blocks"

SUMMARY_RE = re.compile(PREFIX + "?" + MANAGER + r" - (?P<counter>[a-z ]+(?: \(%\))?):\s*(?P<value>\S*)\s*$")
POOL_RE = re.compile(r"Number of blocks in KV cache (?P<pool>primary|secondary) pool"
                     r"(?: for windowSize (?P<window>\d+))?: (?P<blocks>\S+?)(?:,|\s*$)"
                     r"(?: onboard blocks to primary memory before reuse: (?P<onboard>\w+))?")
CONNECTOR_RE = re.compile(r"KV CONNECTOR: Matched (?P<blocks>\S+) blocks for request (?:ID )?(?P<request>\S+)")
MATCHED_RE = re.compile(MANAGER + r"::loadOrAllocateBlocks - Matched (?:full|partial) block (?P<block>\d+)")
NEW_BLOCK_RE = re.compile(MANAGER + r"::loadOrAllocateBlocks - No match, allocated new block (?P<block>\d+)"
                          r"(?: for sequence (?P<seq>\d+))?")


@dataclass(frozen=True)
class ReuseSummary:
    """One block manager's reuse counters, as printed at shutdown."""

    window: int | None  # attention window size; None for the older ``BlockManager`` lines
    rank: str | None
    total_blocks: int
    new_blocks: int
    missed_blocks: int
    reused_blocks: int
    reused_unique_blocks: int
    reused_unique_percent: float
    hit_rate: float  # a fraction: reused / (reused + missed)
    reused_tokens: int
    reused_tokens_percent: float
    pos: Pos

    @property
    def hit_rate_percent(self) -> float:
        return 100.0 * self.hit_rate


@dataclass(frozen=True)
class PoolSize:
    pool: str  # primary (GPU) | secondary (pinned host)
    window: int | None
    blocks: int
    onboard: bool | None  # secondary only: onboard blocks to primary memory before reuse
    pos: Pos


@dataclass(frozen=True)
class ConnectorMatch:
    """``KV CONNECTOR: Matched N blocks for request R``: blocks loaded from the persistent cache."""

    request: str
    blocks: int
    pos: Pos


@dataclass(frozen=True)
class TrtllmLog:
    path: str
    summaries: tuple[ReuseSummary, ...]
    pools: tuple[PoolSize, ...]
    connector: tuple[ConnectorMatch, ...]
    matched_block_lines: int  # ``loadOrAllocateBlocks - Matched ... block`` lines
    new_block_lines: int  # ``loadOrAllocateBlocks - No match, allocated new block`` lines

    @property
    def summary(self) -> ReuseSummary:
        """The run's summary: the last one printed (one per manager; the demo has one)."""
        return self.summaries[-1]

    def pool_blocks(self, pool: str) -> int | None:
        found = [p.blocks for p in self.pools if p.pool == pool]
        return found[-1] if found else None

    @property
    def primary_blocks(self) -> int | None:
        return self.pool_blocks("primary")

    @property
    def secondary_blocks(self) -> int | None:
        return self.pool_blocks("secondary")

    @property
    def connector_matched_blocks(self) -> int:
        return sum(c.blocks for c in self.connector)


@dataclass(frozen=True)
class LogRun:
    """One labelled run (e.g. "without offloading") of a comparison."""

    label: str
    log: TrtllmLog


@dataclass(frozen=True)
class LogRuns:
    """The value of a ``trtllm_log`` source: one or more runs, in the order the deck lists them."""

    runs: tuple[LogRun, ...]

    def __getitem__(self, label: str) -> TrtllmLog:
        """``sources.logs["with offloading"]`` in templates."""
        for run in self.runs:
            if run.label == label:
                return run.log
        raise KeyError(label)


def _number(raw: str, what: str, pos: Pos, integral: bool) -> float | int:
    """A counter's value: a finite number, never negative (counts, percentages and rates all are),
    and whole where ``integral``; 'nan', 'inf' or '-5' is a SourceError at its line, not "-50.0%"."""
    shown = raw if len(raw) <= 24 else raw[:23] + "\u2026"
    try:
        value = float(raw)
    except ValueError:
        raise SourceError(Diagnostic(f"{what}: expected a number, found {shown!r}", pos)) from None
    if not math.isfinite(value) or value < 0 or (integral and not value.is_integer()):
        raise SourceError(Diagnostic(f"{what}: expected {'a count' if integral else 'a number of at least 0'}, "
                                     f"found {shown!r}", pos))
    return int(value) if integral else value


def _count(raw: str, what: str, pos: Pos) -> int:
    """``_number`` of a count (typed as the int it is)."""
    return int(_number(raw, what, pos, True))


def _summary(fields: dict, start: Pos, window: str | None, rank: str | None) -> ReuseSummary:
    missing = [c for c, f in COUNTERS.items() if f not in fields]
    if missing:
        raise SourceError(Diagnostic(f"incomplete block manager reuse summary: no '{missing[0]}' line",
                                     start, hint="the summary is 9 lines printed at shutdown; was the log cut off?"))
    return ReuseSummary(window=int(window) if window else None, rank=rank, pos=start, **fields)


def parse_log(path: str, text: str) -> TrtllmLog:
    """Parse a debug log; a log without any reuse summary is an error (exit 3): the run either did
    not shut down cleanly or was not run with ``TLLM_LOG_LEVEL=DEBUG``."""
    summaries: list[ReuseSummary] = []
    pools: list[PoolSize] = []
    connector: list[ConnectorMatch] = []
    matched = new = 0
    current: dict | None = None
    start: Pos | None = None
    key: tuple[str | None, str | None] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        pos = Pos(path, lineno, 1)
        m = SUMMARY_RE.search(line)
        if m and m["counter"] in COUNTERS:
            counter, field = m["counter"], COUNTERS[m["counter"]]
            pos = Pos(path, lineno, m.start("value") + 1)
            if counter == FIRST_COUNTER:
                if current is not None:
                    assert start is not None and key is not None  # set together with current
                    summaries.append(_summary(current, start, *key))
                current, start, key = {}, Pos(path, lineno, m.start() + 1), (m["window"], m["rank"])
            elif current is None or key != (m["window"], m["rank"]):
                raise SourceError(Diagnostic(f"'{counter}' line outside a reuse summary of {m['manager']}", pos,
                                             hint=f"a summary starts with its '{FIRST_COUNTER}' line"))
            integral = not field.endswith(("percent", "rate"))
            current[field] = _number(m["value"], counter, pos, integral)
            continue
        if m := POOL_RE.search(line):
            onboard = {"true": True, "false": False, "1": True, "0": False}.get((m["onboard"] or "").lower())
            pools.append(PoolSize(m["pool"], int(m["window"]) if m["window"] else None,
                                  _count(m["blocks"], f"{m['pool']} pool blocks", pos), onboard, pos))
        elif m := CONNECTOR_RE.search(line):
            connector.append(ConnectorMatch(m["request"], _count(m["blocks"], "connector matched blocks", pos), pos))
        elif MATCHED_RE.search(line):
            matched += 1
        elif NEW_BLOCK_RE.search(line):
            new += 1
    if current is not None:
        assert start is not None and key is not None  # set together with current
        summaries.append(_summary(current, start, *key))
    if not summaries:
        raise SourceError(Diagnostic("no block manager reuse summary ('BlockManager - total allocated blocks: N')",
                                     Pos(path, 1, 1), hint="run with TLLM_LOG_LEVEL=DEBUG and let the LLM shut down cleanly"))
    return TrtllmLog(path, tuple(summaries), tuple(pools), tuple(connector), matched, new)
