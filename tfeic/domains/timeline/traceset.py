"""Trace sets: one trace per rank (a directory or a glob of files), summarised in parallel, and the
skew between ranks (which rank is slowest in each stage, and by how much).

Why a process pool: a rank's summary is CPU-bound parsing (JSON) or SQLite work, so threads would
share one interpreter lock. ``summarise_rank`` is a pure function of one file (its arguments and
result are plain picklable values), mapped over the files by ``concurrent.futures``'
``ProcessPoolExecutor`` with at most one worker per core. Each worker reads its file as a stream
(``chrome.events`` / SQL ``GROUP BY``) and returns only the ``Summary``, whose size grows with the
distinct names in the trace, never with its events: memory is bounded by the workers' own readers.

Rank ids come from the file's content when it carries one: torch.profiler writes
``"distributedInfo": {"backend": ..., "rank": N, "world_size": M}`` as top-level metadata before
``traceEvents`` (``torch/profiler/profiler.py``, ``_KinetoProfile.start_trace`` ->
``add_metadata_json("distributedInfo", json.dumps(self._get_distributed_info()))``), which is also
where HolisticTraceAnalysis looks (``hta/common/trace_file.py``, ``create_rank_to_trace_dict``).
Otherwise from the file name (``rank-3``, ``rank_3``, ``rank3``: HTA's test data and TraceLens'
``rank0_trace_no_pyfn.json.gz``); nsys exports carry no rank, so theirs come from the name. A set
whose files do not all have one falls back to the sorted-name order for those, and two files
claiming one rank are an error naming both.
"""

from __future__ import annotations

import glob
import json
import multiprocessing
import os
import re
import statistics
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable

from ...core.datafile import InputLimits
from ...core.diagnostics import Diagnostic, Pos, SourceError
from .model import Summary
from .rules import Rules
from .taxonomy import DEFAULT, Taxonomy

#: file names a directory's trace set is made of (HTA takes ``.json`` and ``.gz``; nsys exports per rank)
TRACE_SUFFIXES = (".json", ".json.gz", ".gz", ".sqlite", ".nsys-rep", ".qdrep")
#: files one trace set may hold: a rank each, so far above any real job's per-rank traces, and a bound
#: on the work a directory or glob can ask for (each file is read whole)
MAX_SET_FILES = 4096
_GLOB_CHARS = re.compile(r"[*?\[]")
_RANK_IN_NAME = re.compile(r"rank[-_.]?(\d+)", re.IGNORECASE)
_DISTRIBUTED_INFO = re.compile(r'"distributedInfo"\s*:\s*')
HEAD_CHARS = 1 << 16  # Kineto writes its metadata, distributedInfo included, before the events


def is_glob(path: str) -> bool:
    """Whether the file name part of ``path`` is a pattern (``*``, ``?``, ``[``)."""
    return bool(_GLOB_CHARS.search(os.path.basename(path)))


def is_set(path: str) -> bool:
    """A directory or a glob pattern names a trace set; anything else is one trace."""
    return os.path.isdir(path) or is_glob(path)


def expand(path: str, shown: str | None = None) -> list[str]:
    """The trace files of a set, sorted by name: a directory's files with a trace suffix, or the
    regular files a glob matches. An empty set is a SourceError (exit 3)."""
    shown = shown or path
    if os.path.isdir(path):
        files = [os.path.join(path, n) for n in os.listdir(path) if n.endswith(TRACE_SUFFIXES)]
    else:
        files = glob.glob(path)
    files = sorted(f for f in files if os.path.isfile(f))
    if len(files) > MAX_SET_FILES:
        raise SourceError(Diagnostic(f"{len(files):,} trace files in {shown}, more than the {MAX_SET_FILES:,} a trace set "
                                     "reads (one per rank)", Pos(shown), hint="narrow the directory or the pattern"))
    if not files:
        what = "directory" if os.path.isdir(path) else "pattern"
        raise SourceError(Diagnostic(f"no trace files in the {what} {shown}", Pos(shown),
                                     hint="a set is the per-rank traces: " + ", ".join(TRACE_SUFFIXES)))
    return files


def rank_in_content(path: str, limits: InputLimits | None = None) -> int | None:
    """The ``distributedInfo.rank`` a Kineto trace records in its head, or None (other formats,
    or a trace without it)."""
    from .chrome import open_text
    from .detect import detect

    if detect(path, limits) != "chrome":
        return None
    with open_text(path, limits) as f:
        head = f.read(HEAD_CHARS)
    head = head[: head.find('"traceEvents"')] if '"traceEvents"' in head else head
    found = _DISTRIBUTED_INFO.search(head)
    if not found:
        return None
    try:
        info, _ = json.JSONDecoder().raw_decode(head, found.end())
    except ValueError:
        return None
    rank = info.get("rank") if isinstance(info, dict) else None
    return rank if isinstance(rank, int) and not isinstance(rank, bool) and rank >= 0 else None


def rank_in_name(path: str) -> int | None:
    found = _RANK_IN_NAME.findall(os.path.basename(path))
    return int(found[-1]) if found else None


@dataclass(frozen=True)
class RankSummary:
    """One rank's trace: its rank id, where the id came from (content, name or order), the file as
    shown, and its summary."""

    rank: int
    rank_from: str
    path: str
    summary: Summary


def summarise_rank(path: str, shown: str, rules: dict | None, limits: InputLimits | None,
                   window: str | None = None, range_name: str | None = None) -> RankSummary:
    """The summary of one rank's trace: a pure function of the file and plain options, so a process
    pool can map it (the rank is provisional: ``summarise_set`` settles ids across the set)."""
    from . import choose_window, open_trace

    timeline = open_trace(path, Rules.from_options(rules), shown=shown, limits=limits)
    summary = timeline.summary(choose_window(timeline, window, range_name))
    rank = rank_in_content(path, limits)
    if rank is not None:
        return RankSummary(rank, "content", shown, summary)
    by_name = rank_in_name(path)
    return RankSummary(-1 if by_name is None else by_name, "order" if by_name is None else "name", shown, summary)


def _settle_ranks(found: list[RankSummary]) -> tuple[RankSummary, ...]:
    """Files without a rank take the lowest free ids in name order; a rank claimed twice is an error."""
    taken: dict[int, str] = {}
    for r in found:
        if r.rank >= 0:
            if r.rank in taken:
                raise SourceError(Diagnostic(f"{r.path} and {taken[r.rank]} are both rank {r.rank}", Pos(r.path),
                                             hint="a trace set holds one trace per rank"))
            taken[r.rank] = r.path
    free = (i for i in range(len(found) + len(taken)) if i not in taken)
    settled = [r if r.rank >= 0 else RankSummary(next(free), r.rank_from, r.path, r.summary) for r in found]
    return tuple(sorted(settled, key=lambda r: r.rank))


def _pool_context() -> multiprocessing.context.BaseContext:
    """forkserver where the platform has it (a fork of a clean server process: safe in a threaded
    parent, and cheaper than spawning a fresh interpreter per worker), else spawn."""
    if "forkserver" in multiprocessing.get_all_start_methods():
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])
        return ctx
    return multiprocessing.get_context("spawn")


def open_set(path: str, shown: str | None = None, rules: dict | None = None, limits: InputLimits | None = None,
             window: str | None = None, range_name: str | None = None, workers: int | None = None) -> TraceSet:
    """The set a directory or glob names, or a set of the one trace ``path`` names; ``shown`` is
    ``path`` as the user wrote it (each file is shown under it, by its name)."""
    shown = shown or path
    if not is_set(path):
        return summarise_set([path], lambda _: shown, rules, limits, window, range_name, workers)
    base = os.path.dirname(shown) if not os.path.isdir(path) else shown
    return summarise_set(expand(path, shown), lambda f: os.path.join(base, os.path.basename(f)), rules, limits,
                         window, range_name, workers)


def cores() -> int:
    """The cores this process may run on (its CPU affinity, which containers narrow), not the host's."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


def summarise_set(files: list[str], shown: Callable[[str], str] = str, rules: dict | None = None,
                  limits: InputLimits | None = None, window: str | None = None, range_name: str | None = None,
                  workers: int | None = None) -> TraceSet:
    """Every file's summary, computed by up to ``workers`` processes (default: one per core, never
    more than files); one file, or one worker, runs in this process."""
    workers = max(1, min(len(files), workers or cores()))
    args = [(f, shown(f), rules, limits, window, range_name) for f in files]
    if workers == 1:
        found = [summarise_rank(*a) for a in args]
    else:
        with ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context()) as pool:
            futures = [pool.submit(summarise_rank, *a) for a in args]
            try:
                found = [f.result() for f in futures]
            except BaseException:
                pool.shutdown(cancel_futures=True)
                raise
    return TraceSet(_settle_ranks(found), Rules.from_options(rules).kernel_classes)


def synthetic_set(seed: int, decode_steps: int, ranks: int, rules: Rules) -> TraceSet:
    """The dry-run twin of a set: ``ranks`` synthetic traces, rank r seeded ``seed + r``."""
    from . import synthetic_trace

    return TraceSet(tuple(RankSummary(r, "order", f"<synthetic rank {r}>", synthetic_trace(seed + r, decode_steps, rules).summary())
                          for r in range(ranks)), rules.kernel_classes)


@dataclass(frozen=True)
class Skew:
    """How one measure (a stage's total time, all kernel time, the trace's span) differs across ranks:
    the slowest and fastest rank, the median over the ranks that have it, and the slowest's excess."""

    name: str
    kind: str
    ranks: int  # ranks whose trace has this measure
    slowest_rank: int
    slowest_ns: int
    fastest_rank: int
    fastest_ns: int
    median_ns: float

    @property
    def excess_ns(self) -> float:
        """How much longer the slowest rank took than the median rank."""
        return self.slowest_ns - self.median_ns

    @property
    def excess_ratio(self) -> float | None:
        """slowest / median - 1 (None when the median is 0)."""
        return self.slowest_ns / self.median_ns - 1 if self.median_ns else None

    def as_dict(self) -> dict:
        ratio = self.excess_ratio
        return {"name": self.name, "kind": self.kind, "ranks": self.ranks,
                "slowest": {"rank": self.slowest_rank, "total_ns": self.slowest_ns},
                "fastest": {"rank": self.fastest_rank, "total_ns": self.fastest_ns},
                "median_ns": round(self.median_ns, 1), "excess_ns": round(self.excess_ns, 1),
                "excess_ratio": None if ratio is None else round(ratio, 6)}


#: the measures every rank has, ahead of its stages
SPAN, KERNEL_TIME = "trace span", "kernel time"


def skew_of(name: str, kind: str, per_rank: Iterable[tuple[int, int]]) -> Skew:
    """The skew of ``(rank, total_ns)`` values; ties go to the lowest rank."""
    values = sorted(per_rank)
    slowest = max(values, key=lambda rv: (rv[1], -rv[0]))
    fastest = min(values, key=lambda rv: (rv[1], rv[0]))
    return Skew(name, kind, len(values), slowest[0], slowest[1], fastest[0], fastest[1],
                float(statistics.median(v for _, v in values)))


@dataclass(frozen=True)
class TraceSet:
    """The per-rank summaries of a set, in rank order, and the kernel taxonomy they were read with
    (what a comparison of two sets classifies their kernels by)."""

    ranks: tuple[RankSummary, ...]
    taxonomy: Taxonomy = DEFAULT

    def skew(self) -> tuple[Skew, ...]:
        """The trace span and kernel time, then every stage (by its largest total over the ranks)."""
        stages: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for r in self.ranks:
            for s in r.summary.stages:
                stages.setdefault((s.name, s.kind), []).append((r.rank, s.total_ns))
        out = [skew_of(SPAN, "", ((r.rank, r.summary.window.duration_ns) for r in self.ranks)),
               skew_of(KERNEL_TIME, "", ((r.rank, r.summary.kernel_total_ns) for r in self.ranks))]
        by_size = sorted(stages.items(), key=lambda kv: (-max(v for _, v in kv[1]), kv[0]))
        return tuple(out + [skew_of(name, kind, values) for (name, kind), values in by_size])

    def as_dict(self) -> dict:
        """``tfeic trace summary DIR|GLOB --json`` (schemas/trace-set.schema.json)."""
        return {"ranks": [{"rank": r.rank, "rank_from": r.rank_from, "path": r.path, "summary": r.summary.as_dict()}
                          for r in self.ranks],
                "skew": [s.as_dict() for s in self.skew()]}

