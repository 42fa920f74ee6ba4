"""What one decoder layer keeps per sequence: the five kinds of layer a served model has in 2026.

* ``full_attention``: K and V of every token, ``kv_heads`` heads of ``head_dim`` each (kv_factor 2).
* ``sliding_window``: the same per token, but at most ``window`` tokens are kept.
* ``mla_latent``: multi-head latent attention (DeepSeek-V3, Kimi-K2): K and V live in ONE vector of
  ``kv_lora_rank + qk_rope_head_dim`` elements per token (kv_factor 1, one "head"); TensorRT-LLM
  (``tensorrt_llm/_torch/pyexecutor/resource_manager.py``, ``KVCacheManager.get_cache_size_per_token``:
  ``head_dim = kv_lora_rank + qk_rope_head_dim; kv_factor = 1``, no division by tp) keeps it whole on
  every tensor-parallel rank.
* ``recurrent_state``: Mamba / linear attention: a fixed number of bytes per sequence, whatever its
  length (shapes from vLLM ``vllm/model_executor/layers/mamba/mamba_utils.py``,
  ``MambaStateShapeCalculator``; see ``state_shapes``).
* ``no_attention``: nothing cached (DeciLM ``no_op`` / linear-replacement attention, MLP-only layers).

Tensor parallelism: attention KV heads are split across ranks, ``ceil(kv_heads / tp)`` each, so a
head is replicated when tp > kv_heads (the TensorRT-LLM runtime's ``num_kv_heads = (num_kv_heads +
tp_size - 1) // tp_size`` when it reads an engine config); recurrent state tensors are split along
their head/channel axis (vLLM ``divide(x, tp)``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

FULL = "full_attention"
SLIDING = "sliding_window"
MLA = "mla_latent"
STATE = "recurrent_state"
NONE = "no_attention"
KINDS = (FULL, SLIDING, MLA, STATE, NONE)
TOKEN_KINDS = (FULL, SLIDING, MLA)  # the kinds a paged KV cache holds per token


@dataclass(frozen=True)
class StateTensor:
    """One recurrent-state tensor of one layer: ``split`` elements divided across tp ranks times
    ``rest`` elements that are not, of ``elem_bytes`` each."""
    name: str
    split: int
    rest: int
    elem_bytes: int

    def bytes(self, tp: int = 1) -> int:
        return math.ceil(self.split / tp) * self.rest * self.elem_bytes


@dataclass(frozen=True)
class LayerKind:
    kind: str
    kv_heads: int = 0
    head_dim: int = 0
    window: int | None = None
    state: tuple[StateTensor, ...] = ()

    @property
    def kv_factor(self) -> int:
        """2 for separate K and V, 1 for the MLA latent, 0 for layers without a per-token cache."""
        return {FULL: 2, SLIDING: 2, MLA: 1}.get(self.kind, 0)

    def rank_kv_heads(self, tp: int = 1) -> int:
        """KV heads one tensor-parallel rank holds (the MLA latent is never split)."""
        if self.kind == MLA:
            return 1
        return math.ceil(self.kv_heads / tp) if self.kind in TOKEN_KINDS else 0

    def token_elements(self, tp: int = 1) -> int:
        """Elements one token adds to this layer's cache on one rank."""
        return self.kv_factor * self.rank_kv_heads(tp) * self.head_dim

    def cached_tokens(self, tokens: int) -> int:
        """Tokens of a sequence of ``tokens`` this layer keeps (a sliding layer at most its window)."""
        if self.kind not in TOKEN_KINDS:
            return 0
        return min(tokens, self.window) if self.window else tokens

    def state_bytes(self, tp: int = 1) -> int:
        """Fixed bytes per sequence (recurrent layers), on one rank."""
        return sum(t.bytes(tp) for t in self.state)

    def describe(self) -> str:
        if self.kind == MLA:
            return f"MLA latent {self.head_dim}"
        if self.kind in (FULL, SLIDING):
            text = f"{self.kv_heads} KV heads x {self.head_dim}"
            return f"{text}, window {self.window}" if self.window else text
        if self.kind == STATE:
            return f"{self.state_bytes():,} B state per sequence"
        return "no cache"
