"""Source kind ``trtllm_log``: one or more TensorRT-LLM logs at any level, each a labelled run.

Read by ``tfeic.domains.trtllm.log``: INFO lines (pool sizes, KV memory, versions, iteration lines),
a trtllm-bench report, tensorrtllm_backend statistics and, at DEBUG, the block manager's reuse
summary; a slide that needs a value the log lacks fails naming the line and the level that prints it.

``runs`` lists the runs to compare in slide order (e.g. without, then with host offloading); a
single ``path`` is one run labelled by ``label`` (default: the file name). Value: ``LogRuns``.
"""

from __future__ import annotations

import os

from tfeic.deck.model import SourceSpec
from tfeic.core.datafile import read_data
from ..log import LogRun, LogRuns, parse_log
from tfeic.sources import SOURCES, ResolveContext, Source, shown_path

RUN = {"type": "object", "additionalProperties": False, "required": ["label", "path"],
       "properties": {"label": {"type": "string", "description": "How slides name this run."},
                      "path": {"type": "string", "description": "The log file, at any level (the reuse summary needs TLLM_LOG_LEVEL=DEBUG)."}}}


@SOURCES.register
class TrtllmLogSource(Source):
    name = "trtllm_log"
    input_fields = ("path",)
    summary = ("TensorRT-LLM logs at any level: pool sizes, KV memory, versions, iteration lines, trtllm-bench report, "
               "DEBUG reuse summary; several runs compared.")
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "path": {"type": "string", "description": "One log file (or use runs)."},
            "label": {"type": "string", "description": "Label of the single run given by path."},
            "runs": {"type": "array", "minItems": 1, "items": RUN, "description": "Runs to compare, in order."},
        },
        "oneOf": [{"required": ["path"], "not": {"required": ["runs"]}},
                  {"required": ["runs"], "not": {"anyOf": [{"required": ["path"]}, {"required": ["label"]}]}}],
    }

    def _runs(self, spec: SourceSpec, ctx: ResolveContext) -> list[tuple[str, str]]:
        if "path" in spec.options:
            path = ctx.path(spec, "path")
            return [(spec.options.get("label", os.path.basename(path)), path)]
        runs = []
        for i, run in enumerate(spec.options["runs"]):
            sub = SourceSpec(spec.name, spec.kind, run, spec.pos_of("runs", i, "path"),
                             {k[len(f"runs/{i}/"):]: p for k, p in spec.positions.items() if k.startswith(f"runs/{i}/")})
            runs.append((run["label"], ctx.path(sub, "path")))
        return runs

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> LogRuns:
        return LogRuns(tuple(LogRun(label, parse_log(shown_path(path), read_data(path, what="log", limits=ctx.limits))) for label, path in self._runs(spec, ctx)))

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        return [path for _, path in self._runs(spec, ctx)]
