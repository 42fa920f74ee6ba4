"""The deterministic twin used by ``--dry-run``: a seeded, trace-shaped timeline with the names the
rules know (Prefill, Decode[i], Onboard/Offload with their copies, copyBlock, cuFileRead), so every
timeline slide can be built and proven without a capture."""

from __future__ import annotations

import random

from .events import Event

LAYERS = 4
MiB = 1 << 20


def events(seed: int = 0, decode_steps: int = 8) -> list[Event]:
    rng = random.Random(seed)
    out: list[Event] = []
    t = 0

    def span(kind: str, name: str, dur: int, nbytes: int = 0, direction: str = "") -> int:
        nonlocal t
        start = t
        t += dur
        out.append(Event(kind, name, start, t, nbytes, direction))
        return start

    def jitter(ns: int) -> int:
        return int(ns * rng.uniform(0.85, 1.15))

    span("range", "cuFileRead", jitter(180_000))
    t += 20_000
    onboard = t
    span("copy", "Memcpy HtoD (Pinned -> Device)", jitter(120_000), 64 * MiB, "HtoD")
    out.append(Event("range", "Onboard", onboard, t))
    t += 10_000

    def step(name: str, attention: str, gemm_ns: int, attn_ns: int) -> None:
        nonlocal t
        start = t
        for layer in range(LAYERS):
            span("kernel", "sm90_xmma_gemm_bf16_qkv", jitter(gemm_ns))
            span("kernel", "reshape_and_cache_flash_kernel", jitter(gemm_ns // 8))
            span("kernel", attention, jitter(attn_ns))
            span("kernel", "sm90_xmma_gemm_bf16_mlp", jitter(gemm_ns * 2))
        out.append(Event("range", name, start, t))
        t += jitter(20_000)

    step("Prefill", "flash_fwd_kernel", 90_000, 120_000)
    for i in range(decode_steps):
        step(f"Decode[{i}]", "fmha_decode_xqa_kernel", 12_000, 9_000)
        if i == decode_steps // 2:
            start = t
            span("copy", "Memcpy DtoH (Device -> Pinned)", jitter(60_000), 32 * MiB, "DtoH")
            out.append(Event("range", "Offload", start, t))
            out.append(Event("range", "copyBlock", start + 5_000, start + 35_000))
            t += 5_000
    return sorted(out, key=lambda e: (e.start, e.kind, e.name))
