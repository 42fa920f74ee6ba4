"""One checkpoint directory summed up for a model comparison: its weights and its KV cache.

``summarize`` reads the directory once (``weights.read_model_files``) and takes the weights'
size from the model (``weights.read_weights``) and the KV per token and per context from its
config (``model_kv``). ``sessions`` is the single-device budget of ``memory.Budget``: how many
sessions of a context length fit beside the weights.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from ...core.diagnostics import Diagnostic, Pos, SourceError
from .memory import Budget
from .model_kv import ModelKv, model_kv
from .param_parts import ConfigGap
from .weights import ModelWeights, WeightsUnknown, read_model_files, read_weights


@dataclass(frozen=True)
class ModelSummary:
    name: str
    weights: ModelWeights
    kv: ModelKv

    def sessions(self, device_bytes: int, overhead_bytes: int, tokens: int, tp: int = 1) -> int:
        """Sessions of ``tokens`` tokens that fit beside the weights on ``tp`` tensor-parallel devices
        (each holds 1/tp of the weights and its ``ModelKv.per_rank`` share of every session's KV)."""
        per_session = self.kv.per_rank(tp).context_bytes(tokens)
        return Budget("", device_bytes, -(-self.weights.bytes // tp), overhead_bytes, per_session).sessions


def summarize(name: str, model_dir: str, given: ModelWeights | None = None) -> ModelSummary:
    """A checkpoint directory's summary, with the ``given`` weights when the deck states them;
    raises ``WeightsUnknown`` when neither the deck nor the model says. A config whose KV cache
    cannot be worked out is exit 3, naming the file and the key."""
    config_file = os.path.join(model_dir, "config.json")
    files = read_model_files(config_file)
    try:
        kv = model_kv(files.config, files.modelopt)
    except ConfigGap as e:
        raise SourceError(Diagnostic(f"cannot work out the KV cache: {e}", Pos(config_file))) from None
    weights = given or read_weights(files)
    if isinstance(weights, WeightsUnknown):
        raise weights
    return ModelSummary(name, weights, kv)
