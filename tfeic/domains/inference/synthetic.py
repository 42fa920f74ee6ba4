"""The dry-run twin of a live request: a plausible, fully deterministic ``InferenceRun``.

Why: ``tfeic build --dry-run`` must lay out every slide without a server or a snapshot, with
numbers of a realistic shape (a prefill-sized first token, decode gaps with some jitter, a
non-trivial KV hit rate), and produce the same bytes on every machine. No clock, no randomness:
the jitter is a fixed function of the token index.
"""

from __future__ import annotations

from ..trtllm.metrics import KvCacheStats
from .model import Frame, InferenceRun, ServerStats

WORDS = ("The", " KV", " cache", " holds", " keys", " and", " values", " for", " every", " token", ",",
         " so", " decoding", " the", " next", " one", " is", " a", " single", " step", ".")
TTFT_S = 0.142
GAP_S = 0.0125
BYTES_PER_FRAME = 180  # a chat.completion.chunk frame with one token, as trtllm-serve writes it


def synthetic_run(url: str, model: str | None, messages: tuple[tuple[str, str], ...], max_tokens: int | None,
                  stream: bool = True) -> InferenceRun:
    n = max(1, min(max_tokens or 64, 256))
    t, frames = TTFT_S, []
    for i in range(n):
        frames.append(Frame(round(t, 6), WORDS[i % len(WORDS)]))
        t += GAP_S * (1 + 0.2 * ((i * 7) % 5 - 2) / 2)  # jitter of +-20 % in a fixed pattern
    prompt_tokens = max(1, sum(len(c.split()) for _, c in messages) * 4 // 3)
    cached = prompt_tokens // 2
    body = sum(len(c.encode()) for _, c in messages)
    return InferenceRun(
        url=url, model=model or "synthetic-model", messages=messages, max_tokens=max_tokens, stream=stream,
        text="".join(f.text for f in frames), frames=tuple(frames) if stream else (),
        latency_s=round(t, 6), finish_reason="length", prompt_tokens=prompt_tokens, completion_tokens=n,
        cached_tokens=cached, usage_source="server", bytes_sent=400 + body, bytes_received=300 + BYTES_PER_FRAME * n,
        stats=ServerStats(format="trtllm-iteration-stats", iterations=n, num_active_requests=1, num_queued_requests=0,
                          kv_cache_stats=KvCacheStats(max_blocks=4096, free_blocks=4090, used_blocks=6,
                                                      tokens_per_block=32, reused_blocks=3, missed_blocks=3,
                                                      cache_hit_rate=0.5, usage_ratio=6 / 4096)),
        origin="synthetic")
