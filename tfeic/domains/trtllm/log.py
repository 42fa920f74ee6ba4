"""TensorRT-LLM logs at any level: what the log holds is read, what it lacks is absent, not fatal.

A production log (INFO) holds pool sizes, KV memory, versions and iteration lines
(``log_info``), perhaps a trtllm-bench report (``bench_report``); a ``TLLM_LOG_LEVEL=DEBUG`` log
adds the block manager's reuse summary, connector matches and per-block match/allocate lines, read
here. Prefixes of every release are understood (``log_prefix``). A slide that reads a value the log
lacks fails then, with ``log_values.missing``: the line to look for and the level that prints it.

The reuse summary is nine lines printed when a block manager is destroyed, each
``<manager> - <counter>: <value>`` where ``<manager>`` is ``BlockManager[windowSize=N]`` (older
releases: ``BlockManager``), behind a DEBUG prefix (``[TensorRT-LLM][DEBUG] ``, ``[TensorRT-LLM][DEBUG][<rank>] ``).
A log may hold several summaries (one per attention window, per rank, or per LLM instance in one
process); a summary starts at its ``total allocated blocks`` line. ``cache hit rate`` is a
fraction; the two ``percentage (%)`` counters are percentages. Lines we do not know are ignored;
a line we *do* know whose value does not parse is an error at its file:line, because a silently
skipped counter would put a wrong number on a slide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ...core.diagnostics import Diagnostic, Pos, SourceError
from .bench_report import BenchReport, BenchReportReader
from .log_info import InfoLines, IterationLine, KvAllocation, KvWindow, PoolSize
from .log_prefix import split_prefix
from .log_values import count, missing, number
from .metrics import IterationStats

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
class ConnectorMatch:
    """``KV CONNECTOR: Matched N blocks for request R``: blocks loaded from the persistent cache."""

    request: str
    blocks: int
    pos: Pos


SUMMARY_LINE = "BlockManager[windowSize=N] - total allocated blocks: N"
POOL_LINE = ("Number of blocks in KV cache {pool} pool: N' (0.x) or 'Max KV cache blocks per sequence: "
             "... {pool} blocks=N' (1.x)")


@dataclass(frozen=True)
class TrtllmLog:
    """What one log holds. Fields are what was found (empty tuples where nothing was); the
    properties a slide reads raise ``MissingData`` when the log lacks their line."""

    path: str
    summaries: tuple[ReuseSummary, ...]
    pools: tuple[PoolSize, ...]
    connector: tuple[ConnectorMatch, ...]
    matched_block_lines: int  # ``loadOrAllocateBlocks - Matched ... block`` lines
    new_block_lines: int  # ``loadOrAllocateBlocks - No match, allocated new block`` lines
    windows: tuple[KvWindow, ...] = ()  # one per attention window and rank, in log order
    allocations: tuple[KvAllocation, ...] = ()
    iterations: tuple[IterationLine, ...] = ()  # print_iter_log lines
    iteration_stats: tuple[IterationStats, ...] = ()  # JSON iteration-stats lines
    levels: tuple[str, ...] = ()  # the levels of the prefixed lines, in order of first appearance
    ranks: tuple[str, ...] = ()
    _info: InfoLines | None = None
    _bench: BenchReport | None = None

    def _absent(self, what: str, line: str, level: str, when: str = "") -> Exception:
        held = f"; this log has {', '.join(self.levels)} lines" if self.levels else ""
        return missing(self.path, what, line, level, when + held)

    @property
    def summary(self) -> ReuseSummary:
        """The run's summary: the last one printed (one per manager; the demo has one)."""
        if not self.summaries:
            raise self._absent("block manager reuse summary", SUMMARY_LINE, "DEBUG",
                               "(TLLM_LOG_LEVEL=DEBUG) when the LLM shuts down cleanly")
        return self.summaries[-1]

    def pool_blocks(self, pool: str) -> int | None:
        """The last size printed for ``pool`` (primary or secondary), or None."""
        found = [p.blocks for p in self.pools if p.pool == pool]
        return found[-1] if found else None

    def _pool(self, pool: str) -> int:
        blocks = self.pool_blocks(pool)
        if blocks is None:
            raise self._absent(f"{pool} KV pool size", POOL_LINE.format(pool=pool), "INFO", "when the KV cache is created")
        return blocks

    @property
    def primary_blocks(self) -> int:
        return self._pool("primary")

    @property
    def secondary_blocks(self) -> int:
        return self._pool("secondary")

    @property
    def tokens_per_block(self) -> int:
        if self._info is None or self._info.tokens_per_block is None:
            raise self._absent("tokens per block", "Number of tokens per block: N.", "INFO", "when the KV cache is created")
        return self._info.tokens_per_block

    def _allocation(self) -> KvAllocation:
        if not self.allocations:
            raise self._absent("KV cache allocation", "[MemUsageChange] Allocated X GiB for max tokens in paged KV cache (N)",
                               "INFO", "when the KV cache is created")
        return self.allocations[-1]

    @property
    def kv_cache_gib(self) -> float:
        """GiB of the (last) paged KV cache allocation."""
        return self._allocation().gib

    @property
    def kv_cache_tokens(self) -> int:
        tokens = self._allocation().tokens
        if tokens is None:
            raise self._absent("KV cache token count", "Allocated X GiB for max tokens in paged KV cache (N)", "INFO")
        return tokens

    @property
    def kv_memory_available_gib(self) -> float:
        """The free GPU memory the KV cache was sized from (0.x ``Memory usage when calculating ...``)."""
        if self._info is None or not self._info.budgets:
            raise self._absent("free memory for the KV cache",
                               "Memory usage when calculating max tokens in paged kv cache: total: X GiB, available: Y GiB",
                               "INFO", "when the KV cache is sized")
        return self._info.budgets[-1][1]

    @property
    def engine_version(self) -> str:
        if self._info is None or self._info.engine_version is None:
            raise self._absent("engine version", "Engine version X found in the config file", "INFO",
                               "when a TensorRT engine is loaded")
        return self._info.engine_version

    @property
    def version(self) -> str:
        """TensorRT-LLM's version: the import banner, else the trtllm-bench report, else the engine's."""
        found = (self._info.runtime_version if self._info else None) or (self._bench.version if self._bench else None)
        return found or self.engine_version

    @property
    def bench(self) -> BenchReport:
        if self._bench is None:
            raise self._absent("trtllm-bench report", "= PERFORMANCE OVERVIEW", "INFO", "at the end of a trtllm-bench run")
        return self._bench

    @property
    def triton(self) -> dict[str, dict[str, float]]:
        """tensorrtllm_backend statistics: ``triton['kv_cache_block']['max']``."""
        if self._info is None or not self._info.triton:
            raise self._absent("tensorrtllm_backend statistics", 'nv_trt_llm_kv_cache_block_metrics{kv_cache_block_type="max",...} N',
                               "Triton's metrics endpoint (curl :8002/metrics)")
        return self._info.triton

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


def _summary(fields: dict, start: Pos, window: str | None, rank: str | None) -> ReuseSummary:
    missing = [c for c, f in COUNTERS.items() if f not in fields]
    if missing:
        raise SourceError(Diagnostic(f"incomplete block manager reuse summary: no '{missing[0]}' line",
                                     start, hint="the summary is 9 lines printed at shutdown; was the log cut off?"))
    return ReuseSummary(window=int(window) if window else None, rank=rank, pos=start, **fields)


def parse_log(path: str, text: str) -> TrtllmLog:
    """Read a log at any level. A file in which no line is one TensorRT-LLM writes is an error
    (exit 3): it is not a TensorRT-LLM log (or not the file meant)."""
    summaries: list[ReuseSummary] = []
    connector: list[ConnectorMatch] = []
    info, bench = InfoLines(path), BenchReportReader(path)
    levels: dict[str, None] = {}
    ranks: dict[str, None] = {}
    matched = new = 0
    current: dict | None = None
    start: Pos | None = None
    key: tuple[str | None, str | None] | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        pos = Pos(path, lineno, 1)
        prefixed = split_prefix(line)
        if prefixed.level:
            levels[prefixed.level] = None
        if prefixed.rank is not None:
            ranks[prefixed.rank] = None
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
            current[field] = number(m["value"], counter, pos, integral)
            continue
        if m := CONNECTOR_RE.search(line):
            connector.append(ConnectorMatch(m["request"], count(m["blocks"], "connector matched blocks", pos), pos))
        elif MATCHED_RE.search(line):
            matched += 1
        elif NEW_BLOCK_RE.search(line):
            new += 1
        elif not info.feed(lineno, prefixed):
            bench.feed(lineno, prefixed.message, prefixed=prefixed.offset > 0 and bool(prefixed.message.strip()))
    if current is not None:
        assert start is not None and key is not None  # set together with current
        summaries.append(_summary(current, start, *key))
    log = TrtllmLog(path, tuple(summaries), tuple(info.pools), tuple(connector), matched, new, tuple(info.windows),
                    tuple(info.allocations), tuple(info.iterations), tuple(info.iteration_stats), tuple(levels), tuple(ranks), info, bench.report)
    if not (levels or summaries or bench.report or info.iterations or info.triton or info.runtime_version):
        raise SourceError(Diagnostic("not a TensorRT-LLM log: no line has a TensorRT-LLM prefix ('[TensorRT-LLM][INFO]', "
                                     "'[TRT-LLM] [I]'), and there is no block manager reuse summary, trtllm-bench report, "
                                     "iteration line or tensorrtllm_backend statistic", Pos(path, 1, 1)))
    return log
