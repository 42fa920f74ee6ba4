"""Helpers shared by the directives that read a ``bench`` source: which runs a slide shows, one
figure of a run (a BenchError becomes exit 3 at the option), axis titles with units, and the line
every such slide carries saying where its numbers came from."""

from __future__ import annotations

import os

from tfeic.core.diagnostics import SourceError, SpecError
from tfeic.core.registry import suggest
from tfeic.deck.model import SlideSpec
from tfeic.domains.bench import METHOD, BenchError, BenchRun, BenchSet, Figure, metric_info
from tfeic.ir import Block, Slide
from tfeic.directives import Directive, slide_diagnostic
from tfeic.directives.blocks import text_block

BENCH_SOURCE = {"type": "string", "description": "Name of a `bench` source."}
STAT = {"type": "string", "pattern": r"^(mean|avg|average|median|min|max|std|p(100|\d{1,2}(\.\d+)?))$",
        "description": "mean, median, min, max, std or a percentile: p50, p90, p99, p99.9."}
METRIC = {"type": "string", "description": "ttft, tpot, itl, e2e, input_tokens, output_tokens, request_throughput, "
                                           "output_throughput, total_token_throughput, duration, or a tool's own name."}
FIGURE = {"type": "object", "additionalProperties": False, "required": ["metric"],
          "properties": {"metric": METRIC, "stat": {**STAT, "default": "p50"}}}
RUNS = {"type": "array", "minItems": 1, "items": {"type": "string"},
        "description": "Labels of the source's runs to show, in order (default: all)."}


def run_named(spec: SlideSpec, bench: BenchSet, label: str, *key: str | int) -> BenchRun:
    """The run labelled ``label``; an unknown label is exit 2 at the option ``key``."""
    if label not in bench.runs:
        match = suggest(label, list(bench.runs))
        raise SpecError(slide_diagnostic(spec, ".".join(map(str, key)), f"no run '{label}' (runs: {', '.join(bench.runs)})",
                                         spec.pos_of(*key), f"did you mean '{match}'?" if match else None))
    return bench.runs[label]


def chosen_runs(spec: SlideSpec, bench: BenchSet) -> list[tuple[str, BenchRun]]:
    """The runs the slide's ``runs`` option names, in its order (all by default)."""
    labels = spec.options.get("runs") or list(bench.runs)
    return [(label, run_named(spec, bench, label, "runs", i)) for i, label in enumerate(labels)]


def figure(spec: SlideSpec, label: str, run: BenchRun, metric: str, stat: str, *key: str | int) -> Figure:
    """``stat`` of ``metric`` in one run, or exit 3 naming the run, its files and what it has."""
    try:
        return run.figure(metric, stat)
    except BenchError as e:
        raise SourceError(slide_diagnostic(spec, ".".join(map(str, key)), f"run '{label}': {e.message}",
                                           spec.pos_of(*key), e.hint)) from None


def titled(metric: str, unit: str, stat: str = "") -> str:
    """"TTFT p99 (ms)": the metric's label, the statistic, the unit."""
    text = metric_info(metric).label + (f" {stat}" if stat else "")
    return f"{text} ({unit})" if unit else text


def one_unit(spec: SlideSpec, units: list[str], what: str) -> str:
    """The unit every value on one axis shares; different units on one axis are exit 2."""
    if len(set(units)) > 1:
        raise SpecError(slide_diagnostic(spec, "", f"{what} mix units ({', '.join(sorted(set(units)))}): one axis "
                                         "holds one unit", spec.pos, "put each unit on its own slide"))
    return units[0] if units else ""


def origin(bench: BenchSet, runs: list[tuple[str, BenchRun]]) -> str:
    """"Data: trtllm-bench, engine.txt + pytorch.txt (origin)." for a slide's caption: each tool once, with
    the files it wrote, so a sweep of many runs stays one caption line."""
    files: dict[str, list[str]] = {}
    for _, run in runs:
        files.setdefault(run.tool, []).extend(os.path.basename(f) for f in run.files)
    parts = [f"{tool}, {' + '.join(names) if len(names) <= 2 else f'{len(names)} files, {names[0]} ... {names[-1]}'}"
             for tool, names in files.items()]
    return "Data: " + "; ".join(parts) + (f" ({bench.origin})." if bench.origin else ".")


def how(figures: list[Figure]) -> str:
    """Whether the slide's figures were computed from records or taken from the tools' summaries."""
    computed = any(f.count for f in figures)
    summary = any(not f.count for f in figures)
    parts = ([f"computed from per-request records ({METHOD})"] if computed else []) + \
            (["taken from the tool's own summary"] if summary else [])
    return "Figures " + " and ".join(parts) + "." if parts else ""


class BenchDirective(Directive):
    """A slide of a ``bench`` source: one block over a caption that says where the data came from
    (a deck's ``caption`` replaces it). Subclasses list their own ``options`` and ``required``."""

    sources = {"source": ("bench",)}
    default_layout = "body-caption"
    options: dict = {}
    required: tuple[str, ...] = ()

    @property
    def schema(self) -> dict:  # type: ignore[override]  # the registry and validation only read a directive's schema
        caption = {"type": "string", "description": "Default: where the data came from and how its figures were had."}
        return {"type": "object", "additionalProperties": False, "required": ["source", *self.required],
                "properties": {"source": BENCH_SOURCE, **self.options, "caption": caption}}

    def slide(self, spec: SlideSpec, block: Block, caption: str) -> list[Slide]:
        o = spec.options
        return [Slide(title=o.get("title"), layout=self.layout_of(spec),
                      blocks=(block, text_block(o.get("caption", caption), "caption", role="caption")))]
