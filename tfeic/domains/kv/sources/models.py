"""Source kind ``models``: several checkpoint directories, each summed up for a comparison table.

Each entry names a directory holding a ``config.json`` (a Hugging Face checkpoint, with
``hf_quant_config.json``, ``model.safetensors.index.json`` or weight files when it has them, or a
TensorRT-LLM checkpoint or engine dir); its value is a list of ``ModelSummary`` (weights taken from
the model, the per-layer-kind KV geometry ``engine inspect`` reads).
"""

from __future__ import annotations

import os

from tfeic.core.datafile import path_problem
from tfeic.core.diagnostics import Diagnostic, SourceError, SpecError
from tfeic.deck.model import SourceSpec
from tfeic.domains.kv.layer_kinds import FULL, LayerKind
from tfeic.domains.kv.model_geometry import ModelGeometry
from tfeic.domains.kv.models import ModelSummary, summarize
from tfeic.domains.kv.weights import GIVEN_WEIGHTS_PROPERTIES, INDEX, MODELOPT, ModelWeights, WeightsUnknown, given_weights
from tfeic.sources import SOURCES, ResolveContext, Source

# What a dry run shows for every listed model: a Llama-3.1-8B twin (32 layers x 8 KV heads x 128,
# bf16; 8,030,261,248 parameters x 2 bytes), as the engine source's dry run does.
SYNTHETIC_KV = ModelGeometry((LayerKind(FULL, 8, 128),) * 32, 2)
SYNTHETIC_WEIGHTS = ModelWeights(16_060_522_496, "synthetic: a Llama-3.1-8B twin", how="synthetic")


@SOURCES.register
class ModelsSource(Source):
    name = "models"
    summary = "Several model checkpoint dirs (config.json, quantization, weights) for a comparison table."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["models"],
        "properties": {
            "models": {"type": "array", "minItems": 1, "description": "The models, in table order.",
                       "items": {"type": "object", "additionalProperties": False, "required": ["name", "path"],
                                 "properties": {"name": {"type": "string", "description": "Shown in the table."},
                                                "path": {"type": "string", "description": "Checkpoint dir with config.json.",
                                                         "examples": ["data/models/llama-3.1-8b"]},
                                                **GIVEN_WEIGHTS_PROPERTIES}}},
        },
    }

    def _dirs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        out = []
        for i, entry in enumerate(spec.options["models"]):
            full = os.path.normpath(os.path.join(ctx.deck.base_dir, os.path.expanduser(entry["path"])))
            problem = path_problem(full, allow_dir=True) or (None if os.path.isdir(full) else "is not a directory")
            if problem:
                raise SourceError(Diagnostic(f"sources.{spec.name}.models[{i}].path: {entry['path']}: {problem}",
                                             spec.pos_of("models", i, "path")))
            out.append(full)
        return out

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> list[ModelSummary]:
        summaries = []
        for i, (entry, path) in enumerate(zip(spec.options["models"], self._dirs(spec, ctx))):
            where = f"sources.{spec.name}.models[{i}]"
            try:
                summaries.append(summarize(entry["name"], path, given_weights(entry)))
            except ValueError as e:  # bytes_per_param without params_b
                raise SpecError(Diagnostic(f"{where}.bytes_per_param: {e}", spec.pos_of("models", i, "bytes_per_param"))) from None
            except WeightsUnknown as e:
                raise SpecError(Diagnostic(f"{where}: the weights' size is unknown: {e.reason}", spec.pos_of("models", i),
                                           hint="give this model params_b (and bytes_per_param)")) from None
        return summaries

    def synthetic(self, spec: SourceSpec, ctx: ResolveContext) -> list[ModelSummary]:
        return [ModelSummary(entry["name"], SYNTHETIC_WEIGHTS, SYNTHETIC_KV, "bf16", "synthetic") for entry in spec.options["models"]]

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        """The small files a summary reads; weight shards are left out (their headers are what is
        read, and hashing gigabytes to key a build would cost more than the build)."""
        return [os.path.join(path, name) for path in self._dirs(spec, ctx)
                for name in ("config.json", MODELOPT, INDEX) if os.path.isfile(os.path.join(path, name))]
