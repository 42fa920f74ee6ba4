"""One model directory summed up for a model comparison: its weights and its KV cache.

``summarize`` reads the directory with the same reader as ``engine inspect`` and the ``engine``
source (``engine_config.read_engine``), so a model has one KV truth: its per-layer-kind
``ModelGeometry`` (full, sliding, MLA, recurrent state, no cache) and the KV dtype with where it
came from. The weights' size comes from the model (``weights.read_weights``). ``sessions`` is the
single-device budget of ``memory.Budget``: how many sessions of a context length fit beside the
weights.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .engine_config import read_engine
from .engine_weights import read_dir_weights
from .memory import Budget
from .model_geometry import ModelGeometry
from .weights import ModelWeights, WeightsUnknown


@dataclass(frozen=True)
class ModelSummary:
    name: str
    weights: ModelWeights
    kv: ModelGeometry
    kv_dtype: str  # canonical KV dtype name (bf16, fp8_e4m3, ...)
    kv_dtype_origin: str  # where it came from, in words

    def session_bytes(self, tokens: int, tp: int = 1) -> int:
        """One session's cache on one of ``tp`` tensor-parallel ranks (its share of the KV heads
        and of the recurrent state, the MLA latent whole), all layers (no pipeline split)."""
        return replace(self.kv, tp=tp, pp=1).rank_bytes_per_sequence(tokens)

    def sessions(self, device_bytes: int, overhead_bytes: int, tokens: int, tp: int = 1) -> int:
        """Sessions of ``tokens`` tokens that fit beside the weights on ``tp`` tensor-parallel devices
        (each holds 1/tp of the weights and its share of every session's cache)."""
        return Budget("", device_bytes, -(-self.weights.bytes // tp), overhead_bytes, self.session_bytes(tokens, tp)).sessions


def summarize(name: str, model_dir: str, given: ModelWeights | None = None) -> ModelSummary:
    """A model directory's summary, with the ``given`` weights when the deck states them; raises
    ``WeightsUnknown`` when neither the deck nor the model says. A config whose KV cache cannot be
    worked out is exit 3, naming the file and the key (``read_engine``)."""
    info = read_engine(model_dir)
    assert info.model is not None  # read_engine always builds the per-layer geometry of what it read
    weights = given or read_dir_weights(model_dir, info)
    if isinstance(weights, WeightsUnknown):
        raise weights
    origin = info.model.sources.get("kv_dtype", "the model dtype")
    return ModelSummary(name, weights, info.model, info.kv_dtype, origin)
