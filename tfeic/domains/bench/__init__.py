"""Benchmark results: the outputs of AIPerf, GenAI-Perf, vLLM's bench serve, SGLang's bench_serving,
trtllm-bench and ``nsys stats``, each recognised from its content and read into one ``BenchRun``
(per-request records and the tool's own summary); percentiles computed from records by the method
the tools use (``percentiles.py``)."""

from .model import METRICS, BenchError, BenchRun, BenchSet, Figure, MetricInfo, ProfileRow, metric_info
from ...core.percentiles import METHOD, percentile, stat_name
from .read import parse_run, read_run

__all__ = ["METRICS", "METHOD", "BenchError", "BenchRun", "BenchSet", "Figure", "MetricInfo", "ProfileRow",
           "metric_info", "parse_run", "percentile", "read_run", "stat_name"]
