"""A model's KV footprint, layer by layer, for the whole model and for one rank under tp/pp.

Built from a ``LayerKind`` per decoder layer (``layer_kinds``). The sizes:

* bytes per token: what one more token adds, summed over the layers that cache tokens (full, sliding
  and MLA layers; a sliding layer pays per token until its window is full);
* bytes per block: bytes per token x tokens per block;
* bytes per sequence of N tokens: each token layer's ``min(N, window)`` tokens plus every recurrent
  layer's fixed state.

Per rank: KV heads split across the tp ranks (``layer_kinds``) and the layers split across pp stages
as TensorRT-LLM's ``Mapping.pp_layers`` does (``tensorrt_llm/mapping.py``: ``torch.tensor_split`` of
the layer indices, so when ``layers % pp = n`` the first n stages hold one layer more). ``per_rank``
describes the heaviest stage (the first), the one that sets how much memory a deployment needs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .layer_kinds import FULL, MLA, STATE, TOKEN_KINDS, LayerKind

DEFAULT_SEQUENCE_TOKENS = 131072  # a 128k-token context, the figure model cards quote


def pp_stage_layers(layers: int, pp: int) -> list[range]:
    """Layer indices of each pipeline stage (``torch.tensor_split`` semantics)."""
    base, extra = divmod(layers, pp)
    out, start = [], 0
    for stage in range(pp):
        count = base + (1 if stage < extra else 0)
        out.append(range(start, start + count))
        start += count
    return out


@dataclass(frozen=True)
class ModelGeometry:
    layers: tuple[LayerKind, ...]
    kv_elem_bytes: int
    state_note: str = ""
    tokens_per_block: int = 32
    tp: int = 1
    pp: int = 1
    sources: dict[str, str] = field(default_factory=dict, compare=False)

    def _bytes_per_token(self, layers: tuple[LayerKind, ...], tp: int) -> int:
        return sum(k.token_elements(tp) for k in layers) * self.kv_elem_bytes

    def _bytes_per_sequence(self, layers: tuple[LayerKind, ...], tp: int, tokens: int) -> int:
        return sum(k.token_elements(tp) * k.cached_tokens(tokens) * self.kv_elem_bytes + k.state_bytes(tp)
                   for k in layers)

    @property
    def bytes_per_token(self) -> int:
        return self._bytes_per_token(self.layers, 1)

    @property
    def bytes_per_block(self) -> int:
        return self.bytes_per_token * self.tokens_per_block

    @property
    def state_bytes_per_sequence(self) -> int:
        return sum(k.state_bytes() for k in self.layers)

    def bytes_per_sequence(self, tokens: int) -> int:
        """The whole model's cache for one sequence of ``tokens`` tokens (sliding layers capped)."""
        return self._bytes_per_sequence(self.layers, 1, tokens)

    def session_bytes(self, tokens: int) -> int:
        """One sequence of ``tokens`` tokens as a paged cache allocates it: each token layer's kept
        tokens rounded up to whole blocks, plus the recurrent layers' state (a model whose layers
        are all alike gets ``memory.session_bytes`` of its pool geometry)."""
        tpb = self.tokens_per_block
        return sum(k.token_elements() * -(-k.cached_tokens(tokens) // tpb) * tpb * self.kv_elem_bytes + k.state_bytes()
                   for k in self.layers)

    def stage_layers(self, stage: int = 0) -> tuple[LayerKind, ...]:
        return tuple(self.layers[i] for i in pp_stage_layers(len(self.layers), self.pp)[stage])

    def rank_bytes_per_token(self, stage: int = 0) -> int:
        return self._bytes_per_token(self.stage_layers(stage), self.tp)

    def rank_bytes_per_sequence(self, tokens: int, stage: int = 0) -> int:
        return self._bytes_per_sequence(self.stage_layers(stage), self.tp, tokens)

    @property
    def uniform(self) -> LayerKind | None:
        """The one layer kind of a model whose layers are all alike and whole-sequence (a pool of
        ``[blocks, layers, kv_factor, Hk, T, D]``), else None."""
        kinds = set(self.layers)
        if len(kinds) != 1:
            return None
        kind = next(iter(kinds))
        return kind if kind.kind in (FULL, MLA) else None

    def kind_counts(self) -> list[tuple[LayerKind, int]]:
        """Each distinct layer kind with how many layers have it, in first-seen order."""
        return list(Counter(self.layers).items())

    def describe_kinds(self) -> str:
        return ", ".join(f"{n} x {k.kind} ({k.describe()})" for k, n in self.kind_counts())

    def summary(self, sequence_tokens: int) -> dict:
        """The ``layer_kinds`` / ``model`` part of ``engine inspect --json``."""
        kinds = [{"kind": k.kind, "layers": n, "kv_heads": k.kv_heads if k.kind in TOKEN_KINDS else 0,
                  "head_dim": k.head_dim, "kv_factor": k.kv_factor, "window": k.window,
                  "bytes_per_token": k.token_elements() * self.kv_elem_bytes,
                  "state_bytes_per_sequence": k.state_bytes()} for k, n in self.kind_counts()]
        out: dict = {
            "layer_kinds": kinds,
            "attention_layers": sum(1 for k in self.layers if k.kind in TOKEN_KINDS),
            "state_layers": sum(1 for k in self.layers if k.kind == STATE),
            "sequence_tokens": sequence_tokens,
            "bytes_per_sequence": self.bytes_per_sequence(sequence_tokens),
            "state_bytes_per_sequence": self.state_bytes_per_sequence,
            "sources": dict(sorted(self.sources.items())),
        }
        if self.state_note:
            out["state_note"] = self.state_note
        return out

    def rank_summary(self, sequence_tokens: int) -> dict:
        """What the heaviest rank (first pp stage, any tp rank) holds."""
        per_token = self.rank_bytes_per_token()
        return {"pp_stage_layers": [len(r) for r in pp_stage_layers(len(self.layers), self.pp)],
                "bytes_per_token": per_token, "bytes_per_block": per_token * self.tokens_per_block,
                "bytes_per_sequence": self.rank_bytes_per_sequence(sequence_tokens),
                "state_bytes_per_sequence": sum(k.state_bytes(self.tp) for k in self.stage_layers())}
