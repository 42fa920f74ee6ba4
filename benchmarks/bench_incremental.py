"""Incremental builds of decks/exabyte.yaml: cold build, no-op rebuild, one-slide-edit rebuild.

Each build is a fresh ``python -m tfeic build`` process (as a person or CI runs it), on a copy of
the deck in a temporary directory so the repository's cache is untouched. Prints seconds per build
and the ratios with their targets: no-op <= 10% of cold, one-slide edit <= 25% of cold.

Python caches compiled bytecode (``__pycache__``) as an installed package or a checkout normally
has it; the builds use a private bytecode directory, warmed by one untimed round, so that neither
kind of build is charged for compiling tfeic (PYTHONDONTWRITEBYTECODE would charge every build
~0.15 s, which hides what an incremental build costs).

Run from the repository root: python3 -m benchmarks.bench_incremental [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DECK = os.path.join(REPO, "decks", "exabyte.yaml")
EDIT = ("title: What this talk follows", "title: What this talk follows, step by step")
TARGETS = {"no-op": 0.10, "one-slide edit": 0.25}


def timed_build(spec: str, out: str, pycache: str) -> float:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=REPO, PYTHONPYCACHEPREFIX=pycache)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tfeic", "build", spec, "-o", out, "-q"], check=True, env=env)
    return time.perf_counter() - start


def run_once(tmp: str, pycache: str) -> dict[str, float]:
    """One cold, one no-op and one edited build of a fresh copy of the deck."""
    decks = os.path.join(tmp, "decks")
    shutil.copytree(os.path.join(REPO, "decks"), decks, ignore=shutil.ignore_patterns(".tfeic-cache"))
    spec, out = os.path.join(decks, "exabyte.yaml"), os.path.join(tmp, "exabyte.pptx")
    times = {"cold": timed_build(spec, out, pycache), "no-op": timed_build(spec, out, pycache)}
    with open(spec, encoding="utf-8") as f:
        text = f.read()
    with open(spec, "w", encoding="utf-8") as f:
        f.write(text.replace(*EDIT))
    times["one-slide edit"] = timed_build(spec, out, pycache)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best time of each kind counts")
    args = parser.parse_args()
    best: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="tfeic-pycache-") as pycache:
        for round_ in range(args.repeat + 1):  # round 0 compiles the bytecode and is not counted
            with tempfile.TemporaryDirectory(prefix="tfeic-bench-") as tmp:
                times = run_once(tmp, pycache)
            if round_:
                for kind, seconds in times.items():
                    best[kind] = min(best.get(kind, seconds), seconds)
    ok = True
    print(f"cold build      {best['cold']:.2f} s")
    for kind, target in TARGETS.items():
        ratio = best[kind] / best["cold"]
        ok &= ratio <= target
        print(f"{kind:<15} {best[kind]:.2f} s  {ratio:6.1%} of cold (target <= {target:.0%}){'' if ratio <= target else '  MISSED'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
