"""The text report ``trtllm-bench throughput|latency`` logs at the end of a run.

Written by ``ReportUtility.report_statistics`` in ``tensorrt_llm/bench/dataclasses/reporting.py``
(read at commit 0249976575050d2c624a5f285683c66de311a3b7; the 0.17 layout is the one in
``docs/source/performance/perf-benchmarking.md``): sections headed by a line ``= <TITLE>`` between two
rules of ``=`` (``ENGINE DETAILS`` or ``PYTORCH BACKEND``, ``MACHINE DETAILS``, ``REQUEST DETAILS``,
``WORLD + RUNTIME INFORMATION``, ``PERFORMANCE OVERVIEW``, ``DATASET DETAILS``, ``DECODING
STATISTICS``), each a list of ``Key: value`` lines (padded with blanks or tabs), and within the
performance overview the per-request percentiles as ``[<METRIC>] <STAT>: <value>`` lines
(``[Latency]``, ``[TTFT]``, ``[TPOT]``, ``[GTPS]``; stats ``MINIMUM MAXIMUM AVERAGE P50 P90 P95 P99``).
The report is one log message, so only its first line carries the ``[TRT-LLM] [I]`` prefix (with
nothing after it); a later prefixed line is another message and ends the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ...core.diagnostics import Pos
from ...core.plain import template_method
from .log_values import missing, number

RULE_RE = re.compile(r"^={20,}\s*$")
TITLE_RE = re.compile(r"^= (?P<title>[A-Za-z][^=]*?)\s*$")
PERCENTILE_RE = re.compile(r"^\[(?P<metric>[A-Za-z]+)\] (?P<stat>[A-Z0-9]+)\s*: (?P<value>\S+)\s*$")
ENTRY_RE = re.compile(r"^(?P<key>[A-Za-z][^:]*?):\s+(?P<value>\S.*?)\s*$")
NUMBER_RE = re.compile(r"^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?$")
VERSION_KEYS = ("TensorRT-LLM Version", "TensorRT LLM Version")
STREAMING = ("ttft", "tpot", "gtps")  # percentiles the report has only for streamed runs
TAGS = {"latency": "Latency", "ttft": "TTFT", "tpot": "TPOT", "gtps": "GTPS"}  # as the report writes them


@dataclass
class BenchReport:
    """Sections by title, each ``{key: number or text}``; percentiles by metric, each ``{stat: value}``
    with stats in lower case (``p99``, ``average``) and values in the unit the report's heading gives
    (ms for ``latency``, ``ttft`` and ``tpot``; tokens/s per user for ``gtps``)."""

    pos: Pos
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)
    percentiles: dict[str, dict[str, float]] = field(default_factory=dict)

    @property
    def version(self) -> str | None:
        for section in self.sections.values():
            for key in VERSION_KEYS:
                if key in section:
                    return str(section[key])
        return None

    @template_method  # {{ log.bench.value('Request Throughput (req/sec)') }}
    def value(self, key: str) -> Any:
        """The value of ``key`` in whichever section holds it (the first one)."""
        for section in self.sections.values():
            if key in section:
                return section[key]
        raise missing(self.pos.path, f"'{key}' in its trtllm-bench report", f"{key}: <value>", "INFO",
                      "in the report's sections")

    @template_method  # {{ log.bench.percentile('ttft', 'p99') }}
    def percentile(self, metric: str, stat: str) -> float:
        """``[<METRIC>] <STAT>`` of the report (``percentile('latency', 'p99')``); TTFT, TPOT and GTPS
        are printed only by ``trtllm-bench throughput --streaming``."""
        found = self.percentiles.get(metric.lower(), {}).get(stat.lower())
        if found is None:
            when = "by trtllm-bench --streaming" if metric.lower() in STREAMING else "in the performance overview"
            raise missing(self.pos.path, f"{metric} {stat} in its trtllm-bench report",
                          f"[{TAGS.get(metric.lower(), metric)}] {stat.upper()} : <value>", "INFO", when)
        return found


class BenchReportReader:
    """Line by line: a report starts at a ``= TITLE`` line that follows a rule; it ends at the end
    of the log (a log holds one report per run: the last one wins)."""

    def __init__(self, path: str):
        self.path = path
        self.report: BenchReport | None = None
        self._section: dict[str, Any] | None = None
        self._after_rule = False

    def feed(self, lineno: int, text: str, prefixed: bool = False) -> bool:
        """Read one line; whether it belonged to the report. The report's lines carry no prefix, so a
        ``prefixed`` line (another log message) ends the section being read."""
        if prefixed:
            self._section, self._after_rule = None, False
            return False
        stripped = text.strip()
        pos = Pos(self.path, lineno, 1)
        if RULE_RE.match(stripped):
            self._after_rule = True
            return self.report is not None
        title = TITLE_RE.match(stripped) if self._after_rule else None
        self._after_rule = False
        if title:
            if self.report is None or title["title"] in self.report.sections:
                self.report = BenchReport(pos)  # a new run's report
            self._section = self.report.sections.setdefault(title["title"].upper(), {})
            return True
        if self._section is None or self.report is None:
            return False
        if m := PERCENTILE_RE.match(stripped):
            what = f"[{m['metric']}] {m['stat']}"
            self.report.percentiles.setdefault(m["metric"].lower(), {})[m["stat"].lower()] = float(
                number(m["value"], what, pos))
            return True
        if m := ENTRY_RE.match(stripped):
            value = m["value"]
            self._section[m["key"].strip()] = float(value) if NUMBER_RE.match(value) else value
            return True
        return False
