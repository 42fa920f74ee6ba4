"""What a TensorRT-LLM log at INFO level says: KV pool sizes, KV memory, versions, iteration lines.

Format strings, from TensorRT-LLM's sources:

- ``cpp/tensorrt_llm/batch_manager/kvCacheManager.cpp``: INFO ``Number of blocks in KV cache primary
  pool: %d`` and ``... secondary pool: %d, onboard blocks to primary memory before reuse: %s``
  (0.x ``calculateMaxNumBlocks``; newer releases print ``... primary pool for windowSize %d: %d`` at
  DEBUG); INFO ``Max KV cache blocks per sequence: %d [window size=%d], tokens per block=%d, primary
  blocks=%d, secondary blocks=%d, max sequence length=%d`` (1.x ``KVCacheManager``, one line per
  attention window; early 1.0 without the max sequence length); 0.x INFO ``Max KV cache pages per
  sequence: %d`` and ``Number of tokens per block: %d.``;
- ``cpp/tensorrt_llm/batch_manager/trtGptModelInflightBatching.cpp`` / ``tensorrt_llm/_torch/pyexecutor``:
  ``[MemUsageChange] Allocated %.2f GiB for max tokens in paged KV cache (%d).`` and ``Memory usage when
  calculating max tokens in paged kv cache: total: %.2f GiB, available: %.2f GiB``;
- ``cpp/tensorrt_llm/runtime/gptJsonConfig.cpp``: ``Engine version %s found in the config file``;
  ``tensorrt_llm/__init__.py`` prints ``[TensorRT-LLM] TensorRT-LLM version: %s`` when imported;
- ``tensorrt_llm/_torch/pyexecutor/py_executor.py`` (``print_iter_log``): ``iter = N, global_rank = G,
  rank = R, [num_scheduled_requests = N, kv_cache_util = U,] currank_total_requests = a/b,
  host_step_time = Xms, prev_device_step_time = Yms|N/A, timestamp = ..., [num_scheduled_requests: N,]
  states = {'num_ctx_requests': .., 'num_ctx_tokens': .., 'num_generation_tokens': ..}`` (older
  releases: ``elapsed_time = Xs`` instead of the step times);
- the iteration stats as one JSON object after the prefix: the 0.x batch manager's
  (``[TensorRT-LLM][INFO] {"Active Request Count":249,...,"Iteration Counter":90,"Max KV cache blocks":2448,...}``,
  printed by ``gptManagerBenchmark --log_iteration_data`` and by Triton's tensorrtllm_backend at
  log-verbose; ``docs/source/performance/perf-analysis.md``) or the executor's (``/metrics`` keys);
- Triton's tensorrtllm_backend reports its statistics as Prometheus lines
  ``nv_trt_llm_<group>_metrics{<group>_type="<name>",model=..,version=..} <value>`` (its README,
  "Triton Metrics"), which logs that capture ``curl :8002/metrics`` hold verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ...core.diagnostics import Pos
from ...core.jsonfile import loads
from .log_prefix import Prefixed
from .log_values import count, number
from .metrics import IterationStats, iteration_item

POOL_RE = re.compile(r"Number of blocks in KV cache (?P<pool>primary|secondary) pool"
                     r"(?: for windowSize (?P<window>\d+))?: (?P<blocks>\S+?)(?:,|\s*$)"
                     r"(?: onboard blocks to primary memory before reuse: (?P<onboard>\w+))?")
WINDOW_RE = re.compile(r"Max KV cache blocks per sequence: (?P<per_seq>\S+) \[window size=(?P<window>\S+)\], "
                       r"tokens per block=(?P<tpb>[^,\s]+), primary blocks=(?P<primary>[^,\s]+), "
                       r"secondary blocks=(?P<secondary>[^,\s]+)(?:, max sequence length=(?P<max_seq>\S+))?")
PAGES_RE = re.compile(r"Max KV cache pages per sequence: (?P<per_seq>\S+)")
TOKENS_PER_BLOCK_RE = re.compile(r"Number of tokens per block: (?P<tpb>\d+)\.?\s*$")
ALLOCATED_RE = re.compile(r"Allocated (?P<gib>\S+) GiB for max tokens in paged KV cache(?: \((?P<tokens>\d+)\))?")
BUDGET_RE = re.compile(r"Memory usage when calculating max tokens in paged kv cache: total: (?P<total>\S+) GiB, "
                       r"available: (?P<available>\S+) GiB")
ENGINE_VERSION_RE = re.compile(r"Engine version (?P<version>\S+) found in the config file")
RUNTIME_VERSION_RE = re.compile(r"^TensorRT-LLM version: (?P<version>\S+)\s*$")
ITER_RE = re.compile(r"^iter = (?P<iter>\d+), ")
ITER_FIELD_RE = re.compile(r"(?P<key>[a-z_]+)(?: = |: )(?P<value>\{[^}]*\}|[^,]*)")
STATE_RE = re.compile(r"'(?P<key>\w+)': (?P<value>[\d.]+)")
TRITON_RE = re.compile(r"^nv_trt_llm_(?P<group>\w+?)_(?:metrics|statistics)\{(?P<labels>[^}]*)\}\s+(?P<value>\S+)\s*$")
TRITON_LABEL_RE = re.compile(r'(?P<key>\w+)="(?P<value>[^"]*)"')


@dataclass(frozen=True)
class PoolSize:
    pool: str  # primary (GPU) | secondary (pinned host)
    window: int | None
    blocks: int
    onboard: bool | None  # secondary only: onboard blocks to primary memory before reuse
    pos: Pos
    rank: str | None = None


@dataclass(frozen=True)
class KvWindow:
    """One ``Max KV cache blocks per sequence`` line: the KV cache of one attention window on one rank."""

    window: int
    max_blocks_per_sequence: int
    tokens_per_block: int
    primary_blocks: int
    secondary_blocks: int
    max_sequence_length: int | None
    rank: str | None
    pos: Pos

    @property
    def primary_tokens(self) -> int:
        return self.primary_blocks * self.tokens_per_block


@dataclass(frozen=True)
class KvAllocation:
    """``[MemUsageChange] Allocated X GiB for max tokens in paged KV cache (N)``."""

    gib: float
    tokens: int | None
    rank: str | None
    pos: Pos


@dataclass(frozen=True)
class IterationLine:
    """One ``print_iter_log`` line of the PyTorch executor; None where a release does not print it."""

    iter: int
    rank: int | None
    host_step_ms: float | None
    device_step_ms: float | None  # the previous iteration's device time
    scheduled_requests: int | None
    ctx_requests: int | None
    ctx_tokens: int | None
    generation_tokens: int | None
    kv_cache_util: float | None
    pos: Pos


@dataclass
class InfoLines:
    """Everything ``feed`` recognised, in log order."""

    path: str
    pools: list[PoolSize] = field(default_factory=list)
    windows: list[KvWindow] = field(default_factory=list)
    allocations: list[KvAllocation] = field(default_factory=list)
    budgets: list[tuple[float, float]] = field(default_factory=list)  # (total GiB, available GiB)
    max_pages_per_sequence: int | None = None
    tokens_per_block: int | None = None
    engine_version: str | None = None
    runtime_version: str | None = None
    iterations: list[IterationLine] = field(default_factory=list)
    iteration_stats: list[IterationStats] = field(default_factory=list)
    triton: dict[str, dict[str, float]] = field(default_factory=dict)

    def feed(self, lineno: int, line: Prefixed) -> bool:
        """Read one line; whether it was one of ours."""
        text = line.message
        pos = Pos(self.path, lineno, line.offset + 1)
        if m := POOL_RE.search(text):
            onboard = {"true": True, "false": False, "1": True, "0": False}.get((m["onboard"] or "").lower())
            self.pools.append(PoolSize(m["pool"], int(m["window"]) if m["window"] else None,
                                       count(m["blocks"], f"{m['pool']} pool blocks", pos), onboard, pos, line.rank))
        elif m := WINDOW_RE.search(text):
            self._window(m, pos, line.rank)
        elif m := ALLOCATED_RE.search(text):
            self.allocations.append(KvAllocation(float(number(m["gib"], "GiB for max tokens", pos)),
                                                 int(m["tokens"]) if m["tokens"] else None, line.rank, pos))
        elif m := BUDGET_RE.search(text):
            self.budgets.append((float(number(m["total"], "total GiB", pos)),
                                 float(number(m["available"], "available GiB", pos))))
        elif m := PAGES_RE.search(text):
            self.max_pages_per_sequence = count(m["per_seq"], "KV cache pages per sequence", pos)
        elif m := TOKENS_PER_BLOCK_RE.search(text):
            self.tokens_per_block = int(m["tpb"])
        elif m := ENGINE_VERSION_RE.search(text):
            self.engine_version = m["version"]
        elif m := RUNTIME_VERSION_RE.search(text):
            self.runtime_version = m["version"]
        elif ITER_RE.match(text):
            self.iterations.append(_iteration(text, pos))
        elif m := TRITON_RE.match(text):
            self._triton(m, pos)
        elif line.level and text.startswith("{") and (stats := _stats_object(text)) is not None:
            self.iteration_stats.append(iteration_item(stats, pos))
        else:
            return False
        return True

    def _window(self, m: re.Match, pos: Pos, rank: str | None) -> None:
        window = KvWindow(count(m["window"], "window size", pos), count(m["per_seq"], "KV cache blocks per sequence", pos),
                          count(m["tpb"], "tokens per block", pos), count(m["primary"], "primary blocks", pos),
                          count(m["secondary"], "secondary blocks", pos),
                          count(m["max_seq"], "max sequence length", pos) if m["max_seq"] else None, rank, pos)
        self.windows.append(window)
        self.tokens_per_block = window.tokens_per_block
        self.pools.append(PoolSize("primary", window.window, window.primary_blocks, None, pos, rank))
        self.pools.append(PoolSize("secondary", window.window, window.secondary_blocks, None, pos, rank))

    def _triton(self, m: re.Match, pos: Pos) -> None:
        labels = {k: v for k, v in TRITON_LABEL_RE.findall(m["labels"]) if k not in ("model", "version")}
        name = next(iter(labels.values()), "value")
        self.triton.setdefault(m["group"], {})[name] = float(number(m["value"], f"nv_trt_llm_{m['group']}", pos))


def _stats_object(text: str) -> dict | None:
    """The JSON object of an iteration-stats line, or None when the message is something else."""
    try:
        value = loads(text)
    except ValueError:
        return None
    return value if isinstance(value, dict) and ("Iteration Counter" in value or "iter" in value) else None


def _iteration(text: str, pos: Pos) -> IterationLine:
    fields = {m["key"]: m["value"].strip() for m in ITER_FIELD_RE.finditer(text)}
    states = {m["key"]: m["value"] for m in STATE_RE.finditer(fields.get("states", ""))}

    def ms(key: str) -> float | None:
        raw = fields.get(key, "N/A")
        if raw in ("N/A", ""):
            return None
        scale = 1000.0 if raw.endswith("s") and not raw.endswith("ms") else 1.0
        return float(number(raw.removesuffix("ms").removesuffix("s"), key, pos)) * scale

    def whole(raw: str | None, key: str) -> int | None:
        return None if raw is None else count(raw, key, pos)

    util = fields.get("kv_cache_util")
    return IterationLine(
        iter=count(fields["iter"], "iter", pos), rank=whole(fields.get("rank"), "rank"),
        host_step_ms=ms("host_step_time") if "host_step_time" in fields else ms("elapsed_time"),
        device_step_ms=ms("prev_device_step_time"),
        scheduled_requests=whole(fields.get("num_scheduled_requests"), "num_scheduled_requests"),
        ctx_requests=whole(states.get("num_ctx_requests"), "num_ctx_requests"),
        ctx_tokens=whole(states.get("num_ctx_tokens"), "num_ctx_tokens"),
        generation_tokens=whole(states.get("num_generation_tokens"), "num_generation_tokens"),
        kv_cache_util=None if util in (None, "N/A") else float(number(util, "kv_cache_util", pos)), pos=pos)
