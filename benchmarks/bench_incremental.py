"""Incremental builds of decks/exabyte.yaml: cold build, no-op rebuild, one-slide-edit rebuild.

Two ways of building, each on a copy of the deck in a temporary directory with a build cache of
its own there (``$TFEIC_CACHE_DIR``), so the cold build is cold and the user's cache is untouched, with the ratios against the cold build of the same way and their targets
(no-op <= 10% of cold, one-slide edit <= 25% of cold):

- ``tfeic build``: each build is a fresh ``python -m tfeic build`` process, as CI or a script runs
  it. Every such build pays for starting Python and importing the pipeline (python-pptx, jsonschema,
  numpy...), about 0.3 s here, whatever the cache saves.
- ``tfeic watch``: the edit-look loop. One watch process builds cold, then rebuilds when the spec
  is saved unchanged (no-op) and when one slide is edited; the times are the ones the watch prints
  for each build (its debounce wait, 300 ms after a save, is not part of the build).

Python caches compiled bytecode (``__pycache__``) as an installed package or a checkout normally
has it; the builds use a private bytecode directory, warmed by one untimed round, so that neither
kind of build is charged for compiling tfeic (PYTHONDONTWRITEBYTECODE would charge every build
~0.15 s, which hides what an incremental build costs).

Run from the repository root: python3 -m benchmarks.bench_incremental [--repeat N]
(exit 1 when a target is missed)
"""

from __future__ import annotations

import argparse
import os
import queue
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DECK = os.path.join(REPO, "decks", "exabyte.yaml")
EDIT = ("title: What this talk follows", "title: What this talk follows, step by step")
TARGETS = {"no-op": 0.10, "one-slide edit": 0.25}
WATCH_STATUS = re.compile(r"^watching .* \((ok|failed) in ([0-9.]+) s;")
WAIT_S = 120  # bounded wait for one watch build


def environment(pycache: str, tmp: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(PYTHONPATH=REPO, PYTHONPYCACHEPREFIX=pycache, TFEIC_CACHE_DIR=os.path.join(tmp, "cache"))
    return env


def copy_deck(tmp: str) -> tuple[str, str, str]:
    """A fresh copy of the decks: (spec, output, spec text)."""
    decks = os.path.join(tmp, "decks")
    shutil.copytree(os.path.join(REPO, "decks"), decks)
    spec = os.path.join(decks, "exabyte.yaml")
    with open(spec, encoding="utf-8") as f:
        return spec, os.path.join(tmp, "exabyte.pptx"), f.read()


def save(spec: str, text: str) -> None:
    with open(spec, "w", encoding="utf-8") as f:
        f.write(text)


def timed_build(spec: str, out: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tfeic", "build", spec, "-o", out, "-q"], check=True, env=env)
    return time.perf_counter() - start


def run_cli(tmp: str, pycache: str) -> dict[str, float]:
    """One cold, one no-op and one edited build of a fresh copy of the deck, a process each."""
    spec, out, text = copy_deck(tmp)
    env = environment(pycache, tmp)
    times = {"cold": timed_build(spec, out, env), "no-op": timed_build(spec, out, env)}
    save(spec, text.replace(*EDIT))
    times["one-slide edit"] = timed_build(spec, out, env)
    return times


def run_watch(tmp: str, pycache: str) -> dict[str, float]:
    """The build times a ``tfeic watch`` process prints: cold, after an unchanged save, after an edit."""
    spec, out, text = copy_deck(tmp)
    proc = subprocess.Popen([sys.executable, "-m", "tfeic", "watch", spec, "-o", out], env=environment(pycache, tmp),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in proc.stderr], daemon=True).start()

    def next_build() -> float:
        while True:
            match = WATCH_STATUS.match(lines.get(timeout=WAIT_S))
            if match:
                if match.group(1) != "ok":
                    raise RuntimeError("a watch build failed")
                return float(match.group(2))

    try:
        times = {"cold": next_build()}
        save(spec, text)
        times["no-op"] = next_build()
        save(spec, text.replace(*EDIT))
        times["one-slide edit"] = next_build()
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(WAIT_S)
    return times


def report(title: str, best: dict[str, float]) -> bool:
    ok = True
    print(f"{title}\n  cold build      {best['cold']:.3f} s")
    for kind, target in TARGETS.items():
        ratio = best[kind] / best["cold"]
        ok &= ratio <= target
        print(f"  {kind:<15} {best[kind]:.3f} s  {ratio:6.1%} of cold (target <= {target:.0%}){'' if ratio <= target else '  MISSED'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best time of each kind counts")
    args = parser.parse_args()
    best: dict[str, dict[str, float]] = {"cli": {}, "watch": {}}
    with tempfile.TemporaryDirectory(prefix="tfeic-pycache-") as pycache:
        for round_ in range(args.repeat + 1):  # round 0 compiles the bytecode and is not counted
            for way, run in (("cli", run_cli), ("watch", run_watch)):
                with tempfile.TemporaryDirectory(prefix="tfeic-bench-") as tmp:
                    times = run(tmp, pycache)
                if round_:
                    for kind, seconds in times.items():
                        best[way][kind] = min(best[way].get(kind, seconds), seconds)
    ok_cli = report("tfeic build (a fresh process per build)", best["cli"])
    ok_watch = report("tfeic watch (the edit-look loop: one process, build times as it prints them)", best["watch"])
    return 0 if ok_cli and ok_watch else 1


if __name__ == "__main__":
    sys.exit(main())
