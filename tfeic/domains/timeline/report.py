"""Human-readable numbers for summaries and slides: durations with units, bytes, bandwidth."""

from __future__ import annotations


def duration(ns: float) -> str:
    """``1234567`` -> ``"1.23 ms"``: three significant digits in the largest unit below the value."""
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if abs(ns) >= scale:
            return f"{ns / scale:.3g} {unit}"
    return f"{ns:.0f} ns"


def signed_duration(ns: float) -> str:
    """A difference of two durations with its sign: ``+1.2 ms``, ``-350 us``, ``0 ns``."""
    return ("+" if ns > 0 else "-" if ns < 0 else "") + duration(abs(ns))


def change(ratio: float | None) -> str:
    """A relative change with its sign (``0.125`` -> ``+12.5%``); ``n/a`` when there is none."""
    return "n/a" if ratio is None else f"{100 * ratio:+.1f}%"


def percent(part: float, whole: float) -> str:
    """``part`` as a share of ``whole`` with one decimal ("0.0%" of nothing)."""
    return f"{100 * part / whole:.1f}%" if whole else "0.0%"


def size(nbytes: int) -> str:
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if nbytes >= scale:
            return f"{nbytes / scale:.3g} {unit}"
    return f"{nbytes} B"


def axis_unit(span_ns: int) -> tuple[str, float]:
    """The unit for a time axis covering ``span_ns``, and its scale in ns."""
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("us", 1e3)):
        if span_ns >= 2 * scale:
            return unit, scale
    return "ns", 1.0


def kernel_name(name: str, limit: int = 40) -> str:
    """A kernel name short enough for a table cell: C++ ``void``, template arguments and parameter
    lists dropped (``void at::native::f<128>(int)`` -> ``at::native::f``), then cut in the middle."""
    short = name.removeprefix("void ").replace("(anonymous namespace)::", "")
    for open_, close in (("<", ">"), ("(", ")")):
        depth, kept = 0, []
        for ch in short:
            if ch == open_:
                depth += 1
            elif ch == close and depth:
                depth -= 1
            elif not depth:
                kept.append(ch)
        short = "".join(kept).strip() or short
    if len(short) > limit:
        half = (limit - 1) // 2
        short = short[:half] + "…" + short[-(limit - 1 - half):]
    return short


def distinct_kernel_names(names: list[str], limit: int = 40) -> list[str]:
    """``kernel_name`` of each, except that names it would cut to the same text (hipBLASLt's
    ``Cijk_Alik_Bljk_..._MT256x128x64_...`` tiles differ in the middle) show their first 12
    characters, then the stretch where they first differ from the others."""
    plain = [kernel_name(n, limit) for n in names]
    short = list(plain)
    for i, name in enumerate(names):
        rivals = [other for j, other in enumerate(names) if plain[j] == plain[i] and other != name]
        if rivals:
            at = max(next((k for k, (x, y) in enumerate(zip(name, r)) if x != y), min(len(name), len(r))) for r in rivals)
            start = max(12, at - 8)
            tail = name[start: start + limit - 14]
            short[i] = name[:12] + "\u2026" + tail + ("\u2026" if start + len(tail) < len(name) else "")
    return short
