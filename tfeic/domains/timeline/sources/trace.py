"""Source kind ``trace``: a profiler trace (nsys SQLite/.nsys-rep/.qdrep, Chrome/Kineto JSON, NVTX
JSON, nsys JSON) resolved to a ``tfeic.domains.timeline.Timeline``; the format is detected from content.
A directory or glob of per-rank traces resolves to a ``TraceSet`` (per-rank summaries, computed in
parallel), which the rank and comparison slides read."""

from __future__ import annotations

import os
from typing import Any
from dataclasses import replace

from tfeic.core.limits import limit
from tfeic.deck.model import SourceSpec
from tfeic.domains.timeline import Timeline, open_trace, synthetic_trace
from tfeic.domains.timeline.rules import RULES_SCHEMA, Rules, with_theme_classes
from tfeic.domains.timeline.traceset import TraceSet, expand, is_glob, open_set, synthetic_set
from tfeic.sources import SOURCES, ResolveContext, Source


@SOURCES.register
class TraceSource(Source):
    name = "trace"
    input_fields = ("path",)
    summary = "A profiler trace (Nsight Systems, Chrome/Kineto, NVTX JSON) as Gantt lanes and summaries."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {
            "path": {"type": "string", "description": "Trace file, relative to the deck: .sqlite, .nsys-rep, .qdrep, .json(.gz), NVTX JSON; "
                     "or per-rank traces, one trace set: a directory or a glob (traces/rank*.json.gz)."},
            "rules": RULES_SCHEMA,
            "seed": {"type": "integer", "description": "Seed of the synthetic twin used by --dry-run (default 0)."},
            "decode_steps": {"type": "integer", "minimum": 1, "description": "Decode steps in the synthetic twin (default 8)."},
            "ranks": {"type": "integer", "minimum": 1, "maximum": 64, "description": "Ranks in the synthetic twin of a trace set (default 2)."},
        },
    }

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> Timeline | TraceSet:
        options = self._rules(spec, ctx)
        rules = Rules.from_options(options, spec.pos_of("rules"))  # a bad rule is a spec error, here
        if self._is_set(spec, ctx):
            return open_set(self._set_path(spec, ctx), spec.options["path"], options, ctx.limits)
        timeline = open_trace(ctx.path(spec, "path"), rules, shown=spec.options["path"],
                              limits=ctx.limits)
        return replace(timeline, max_spans=limit(ctx.deck.options, "trace_spans"))

    def synthetic(self, spec: SourceSpec, ctx: ResolveContext) -> Timeline | TraceSet:
        rules = Rules.from_options(self._rules(spec, ctx), spec.pos_of("rules"))
        seed, steps = spec.options.get("seed", 0), spec.options.get("decode_steps", 8)
        if self._is_set(spec, ctx) or "ranks" in spec.options:
            return synthetic_set(seed, steps, spec.options.get("ranks", 2), rules)
        return synthetic_trace(seed, steps, rules)

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        if self._is_set(spec, ctx):
            return expand(self._set_path(spec, ctx), spec.options["path"])
        return [ctx.path(spec, "path")]

    def _rules(self, spec: SourceSpec, ctx: ResolveContext) -> dict[str, Any] | None:
        """The source's ``rules:`` option with the theme's kernel classes after its own."""
        return with_theme_classes(spec.options.get("rules"), ctx.theme.kernel_classes if ctx.theme else ())

    def _set_path(self, spec: SourceSpec, ctx: ResolveContext) -> str:
        """The set's directory (which must exist) or glob, resolved against the deck."""
        raw = str(spec.options["path"])
        return os.path.join(ctx.deck.base_dir, os.path.expanduser(raw)) if is_glob(raw) else ctx.path(spec, "path", allow_dir=True)

    def _is_set(self, spec: SourceSpec, ctx: ResolveContext) -> bool:
        """A glob or a directory names a set (a dry run that lacks the directory sees a single trace
        unless ``ranks`` says otherwise; an optional source left unset is one trace)."""
        if "path" not in spec.options:
            return False
        raw = str(spec.options["path"])
        return is_glob(raw) or os.path.isdir(os.path.join(ctx.deck.base_dir, os.path.expanduser(raw)))
