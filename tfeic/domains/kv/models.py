"""One checkpoint directory summed up for a model comparison: its weights and its KV cache.

``summarize`` reads the directory once (``weights.read_model_files``) and takes the weights'
size from the model (``weights.read_weights``) and the KV per token and per context from its
config (``model_kv``). ``sessions`` is the single-device budget of ``memory.Budget``: how many
sessions of a context length fit beside the weights.
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from ...core.diagnostics import Diagnostic, Pos, SourceError
from .memory import Budget
from .model_kv import ModelKv, model_kv
from .param_count import ConfigGap
from .weights import ModelWeights, WeightsUnknown, read_model_files, read_weights


@dataclass(frozen=True)
class ModelSummary:
    name: str
    weights: ModelWeights | WeightsUnknown
    kv: ModelKv

    def sessions(self, device_bytes: int, overhead_bytes: int, tokens: int, tp: int = 1) -> int | None:
        """Sessions of ``tokens`` tokens that fit beside the weights on ``tp`` tensor-parallel devices
        (each holds 1/tp of the weights and its ``ModelKv.per_rank`` share of every session's KV);
        None when the weights are unknown."""
        if isinstance(self.weights, WeightsUnknown):
            return None
        per_session = self.kv.per_rank(tp).context_bytes(tokens)
        return Budget("", device_bytes, math.ceil(self.weights.bytes / tp), overhead_bytes, per_session).sessions


def summarize(name: str, model_dir: str) -> ModelSummary:
    """A checkpoint directory's summary; a config whose KV cache cannot be worked out is exit 3,
    naming the file and the key."""
    files = read_model_files(model_dir)
    try:
        kv = model_kv(files.config, files.modelopt)
    except ConfigGap as e:
        raise SourceError(Diagnostic(f"cannot work out the KV cache: {e}", Pos(os.path.join(model_dir, "config.json")))) from None
    return ModelSummary(name, read_weights(files), kv)
