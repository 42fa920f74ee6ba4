"""Source kind ``bench``: benchmark outputs (AIPerf, GenAI-Perf, vLLM bench serve, SGLang bench_serving,
trtllm-bench, ``nsys stats``), recognised from their content, as one ``BenchSet``: a single run
(``path``), named runs to compare (``runs: {A: file, B: file}``), or a sweep whose runs each have a
numeric value of one parameter (``sweep``). A run may be several files of the same tool (AIPerf's
per-request JSONL and its summary JSON). Problems in a file are exit 3 at file:line; the readers
live in ``tfeic/domains/bench/``.
"""

from __future__ import annotations

import os
from typing import Any

from tfeic.core.datafile import path_problem
from tfeic.core.diagnostics import Diagnostic, Pos, SourceError, SpecError
from tfeic.deck.model import SourceSpec
from tfeic.domains.bench import BenchError, BenchRun, BenchSet, read_run
from tfeic.sources import SOURCES, ResolveContext, Source, shown_path

_FILES = {"anyOf": [{"type": "string"}, {"type": "array", "minItems": 1, "items": {"type": "string"}}],
          "description": "A benchmark output file (plain or gzip-compressed), or several files of one run "
                         "(e.g. AIPerf's profile_export.jsonl and profile_export_aiperf.json), relative to the deck."}
_SWEEP = {
    "type": "object", "additionalProperties": False, "required": ["parameter", "runs"],
    "properties": {
        "parameter": {"type": "string", "description": "What varies between the runs, e.g. batch size."},
        "unit": {"type": "string", "description": "Its unit, e.g. requests or tokens."},
        "runs": {"type": "array", "minItems": 2, "items": {
            "type": "object", "additionalProperties": False, "required": ["value", "path"],
            "properties": {"value": {"type": "number", "description": "The parameter's value in this run."},
                           "path": _FILES}}},
    },
}


def _files(spec: SourceSpec, ctx: ResolveContext, raw: Any, *key: str | int) -> list[str]:
    """The run's files resolved against the deck; a missing one is exit 3 at its YAML position."""
    names = [raw] if isinstance(raw, str) else list(raw)
    out = []
    for i, name in enumerate(names):
        full = os.path.normpath(os.path.join(ctx.deck.base_dir, os.path.expanduser(name)))
        at = key if isinstance(raw, str) else (*key, i)
        problem = path_problem(full)
        if problem:
            raise SourceError(Diagnostic(f"sources.{spec.name}.{'.'.join(map(str, at))}: {name}: {problem}",
                                         spec.pos_of(*at)))
        out.append(shown_path(full))
    return out


def _plain(value: float) -> str:
    """500000, not 5e+05: a sweep's values label its runs."""
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _planned(spec: SourceSpec) -> list[tuple[str, Any, tuple[str | int, ...], float | None]]:
    """(label, files as written, YAML key, sweep value) per run, in deck order."""
    o = spec.options
    if "runs" in o:
        return [(label, raw, ("runs", label), None) for label, raw in o["runs"].items()]
    if "sweep" in o:
        sweep = o["sweep"]
        unit = f" {sweep['unit']}" if sweep.get("unit") else ""
        return [(f"{sweep['parameter']} {_plain(run['value'])}{unit}", run["path"], ("sweep", "runs", i, "path"),
                 float(run["value"])) for i, run in enumerate(sweep["runs"])]
    return [(o.get("label", "run"), o["path"], ("path",), None)]


def _read(spec: SourceSpec, files: list[str], ctx: ResolveContext) -> BenchRun:
    try:
        return read_run(files, ctx.limits)
    except BenchError as e:
        raise SourceError(Diagnostic(e.message, Pos(e.path or files[0], e.line), e.hint)) from None


@SOURCES.register
class BenchSource(Source):
    name = "bench"
    summary = ("Benchmark outputs (AIPerf, GenAI-Perf CSV, vLLM bench serve JSON, SGLang bench_serving, trtllm-bench "
               "report, nsys stats CSV), recognised "
               "from content: one run, runs to compare, or a sweep over a numeric parameter.")
    input_fields = ("path",)  # one file (a list, runs and sweeps are checked when the source loads)
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "path": _FILES,
            "label": {"type": "string", "description": "The name slides give a single run (default: run)."},
            "runs": {"type": "object", "minProperties": 1, "additionalProperties": _FILES,
                     "description": "Named runs to compare, e.g. {TensorRT engine: a.txt, PyTorch: b.txt}."},
            "sweep": _SWEEP,
            "origin": {"type": "string", "description": "Where the files came from (who ran the tool, where it was "
                                                        "published); every slide of this source says it."},
        },
        "oneOf": [{"required": ["path"]}, {"required": ["runs"]}, {"required": ["sweep"]}],
    }

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> BenchSet:
        runs, values = {}, {}
        for label, raw, key, value in _planned(spec):
            if label in runs:
                raise SpecError(Diagnostic(f"sources.{spec.name}: two runs are labelled '{label}'", spec.pos_of(*key)))
            runs[label] = _read(spec, _files(spec, ctx, raw, *key), ctx)
            if value is not None:
                values[label] = value
        sweep = spec.options.get("sweep", {})
        return BenchSet(runs, sweep.get("parameter", ""), sweep.get("unit", ""), values, spec.options.get("origin", ""))

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        return [os.path.abspath(f) for _, raw, key, _ in _planned(spec) for f in _files(spec, ctx, raw, *key)]
