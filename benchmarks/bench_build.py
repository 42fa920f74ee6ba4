"""Whole-pipeline build time as a user sees it: ``tfeic build`` as a whole process, cold, next to a
plain python-pptx script (``benchmarks/plain_script.py``) and pandoc writing the same content.

Every measurement is a fresh process (``python -m tfeic build --no-cache``, ``python plain_script.py``,
``pandoc -o x.pptx x.md``), timed from spawn to exit, with its peak RSS from ``os.wait4``. The three are
interleaved round by round, so the machine's load hits them alike; each figure is min/median/max over
the rounds and each ratio is of the medians. Bytecode is compiled once in an untimed round (into a
private ``PYTHONPYCACHEPREFIX``), as an installed package has it.

The content per slide: a title, six bullets and a 5x4 table (header + 4 rows, 4 columns), no notes;
500 slides and 50 slides. A second deck gives every slide a native bar chart (title + chart; pandoc
writes no native charts, so that one is against the plain script only). Then, with a build cache, a
no-op rebuild and a one-slide edit of the 500-slide deck, each a fresh process. Targets (issue 19):

- tfeic500 / plain500 <= 0.5, tfeic500 / pandoc500 <= 0.35, peak RSS <= 1.5x the plain script's;
- tfeic500 / tfeic50 <= 10; charts: tfeic500 / plain500 <= 0.3;
- no-op <= 5% and one-slide edit <= 25% of the cold build.

pandoc: the one on PATH, else the benchmark's setup step installs ``pypandoc_binary`` (which ships a
pandoc binary) into a private directory with pip; when neither works the pandoc baseline is skipped
and the reason printed. The last line is the in-process figure (tfeic's ``main`` and the script's
``main`` called in this process, after a warm-up build), as earlier versions of this benchmark reported.

Run from the repository root: python3 -m benchmarks.bench_build [--repeat N]  (exit 1 when a target is missed)
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from typing import Callable

import yaml

from benchmarks import plain_script
from benchmarks.plain_script import CATEGORIES, chart_series, content

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZES = (50, 500)
PANDOC_DIR = os.path.join(os.path.expanduser("~"), ".cache", "tfeic-bench", "pandoc")
EDIT = ("title: Slide 250\n", "title: Slide 250, edited\n")


def deck_yaml(n: int) -> str:
    slides = []
    for i in range(1, n + 1):
        title, bullets, header, rows = content(i)
        table = {"header": header, "rows": rows, "align": ["left"] + ["right"] * (len(header) - 1)}
        slides.append({"kind": "columns", "title": title, "columns": [{"bullets": bullets}, {"table": table}]})
    return yaml.safe_dump({"title": f"Benchmark deck, {n} slides", "date": "2026-01-01", "slides": slides}, sort_keys=False)


def chart_deck(n: int, tmp: str) -> str:
    """A deck of ``n`` chart slides and the CSV they read (one column per slide); the deck's path."""
    csv = os.path.join(tmp, f"charts{n}.csv")
    with open(csv, "w") as f:
        f.write(",".join(["category", *(f"s{i}" for i in range(1, n + 1))]) + "\n")
        columns = [chart_series(i) for i in range(1, n + 1)]
        for k, category in enumerate(CATEGORIES):
            f.write(",".join([category, *(f"{column[k]:g}" for column in columns)]) + "\n")
    slides = [{"kind": "chart", "title": f"Slide {i}", "source": "values", "chart": "bar", "x": "category", "y": f"s{i}"}
              for i in range(1, n + 1)]
    deck = {"title": f"Chart deck, {n} slides", "date": "2026-01-01",
            "sources": {"values": {"kind": "table", "path": os.path.basename(csv)}}, "slides": slides}
    return write(os.path.join(tmp, f"charts{n}.yaml"), yaml.safe_dump(deck, sort_keys=False))


def markdown(n: int) -> str:
    """The same slides for pandoc: a level-1 heading per slide, the bullets, a pipe table."""
    out = [f"% Benchmark deck, {n} slides\n"]
    for i in range(1, n + 1):
        title, bullets, header, rows = content(i)
        out.append(f"# {title}\n")
        out.extend(f"- {b}" for b in bullets)
        out.append("")
        out.append("| " + " | ".join(header) + " |")
        out.append("|:--|" + "--:|" * (len(header) - 1))
        out.extend("| " + " | ".join(row) + " |" for row in rows)
        out.append("")
    return "\n".join(out)


def write(path: str, text: str) -> str:
    with open(path, "w") as f:
        f.write(text)
    return path


def find_pandoc() -> tuple[str | None, str]:
    """The setup step: pandoc on PATH, else pypandoc_binary's pandoc pip-installed into PANDOC_DIR."""
    found = shutil.which("pandoc") or next(iter(glob.glob(os.path.join(PANDOC_DIR, "pypandoc", "files", "pandoc"))), None)
    if found:
        return found, ""
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--target", PANDOC_DIR, "pypandoc_binary"],
                         capture_output=True, text=True)
    found = next(iter(glob.glob(os.path.join(PANDOC_DIR, "pypandoc", "files", "pandoc"))), None)
    if found:
        return found, ""
    last = (pip.stderr.strip().splitlines() or ["no message"])[-1]
    return None, f"pandoc is not on PATH and 'pip install pypandoc_binary' failed ({last})"


def run_process(argv: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Seconds from spawn to exit and the peak RSS (MiB) of one process; raises if it fails."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    stderr = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode}): {stderr.strip()[-500:]}")
    return seconds, usage.ru_maxrss / 1024


class Samples:
    """Seconds and peak RSS of each named measurement, over the rounds."""

    def __init__(self) -> None:
        self.seconds: dict[str, list[float]] = {}
        self.rss: dict[str, list[float]] = {}

    def add(self, name: str, result: tuple[float, float]) -> None:
        self.seconds.setdefault(name, []).append(result[0])
        self.rss.setdefault(name, []).append(result[1])

    def median(self, name: str) -> float:
        return statistics.median(self.seconds[name])

    def line(self, name: str) -> str:
        s = self.seconds[name]
        return (f"  {name:<22} {min(s):7.3f} / {statistics.median(s):7.3f} / {max(s):7.3f} s   "
                f"peak RSS {max(self.rss[name]):6.0f} MiB")


def check(label: str, value: float, target: float, unit: str = "x") -> bool:
    ok = value <= target
    shown = f"{value:.1%}" if unit == "%" else f"{value:.2f}x"
    limit = f"{target:.0%}" if unit == "%" else f"{target}x"
    print(f"  {label:<38} {shown:>7}  (target <= {limit}){'' if ok else '  MISSED'}")
    return ok


def in_process(specs: dict[int, str], tmp: str) -> str:
    """The earlier figure: both called in this process, the best of two, after a warm-up build."""
    from tfeic.cli import main as tfeic_main

    def best(build: Callable[[], object]) -> float:
        times = []
        for _ in range(2):
            start = time.perf_counter()
            build()
            times.append(time.perf_counter() - start)
        return min(times)

    out = os.path.join(tmp, "inproc.pptx")
    tfeic_main(["build", specs[50], "-o", out, "-q", "--no-cache"])
    ours = best(lambda: tfeic_main(["build", specs[500], "-o", out, "-q", "--no-cache"]))
    plain = best(lambda: plain_script.main(500, out, False))
    return f"in-process, 500 slides: tfeic {ours:.3f} s, plain python-pptx {plain:.3f} s, ratio {ours / plain:.2f}x"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds (after one untimed round)")
    args = parser.parse_args()
    pandoc, why = find_pandoc()
    samples = Samples()
    py = sys.executable
    script = os.path.join(REPO, "benchmarks", "plain_script.py")
    with tempfile.TemporaryDirectory(prefix="tfeic-bench-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env.update(PYTHONPATH=REPO, PYTHONPYCACHEPREFIX=os.path.join(tmp, "pycache"), TFEIC_CACHE_DIR=os.path.join(tmp, "cache"))
        specs = {n: write(os.path.join(tmp, f"deck{n}.yaml"), deck_yaml(n)) for n in SIZES}
        mds = {n: write(os.path.join(tmp, f"deck{n}.md"), markdown(n)) for n in SIZES}
        charts = chart_deck(500, tmp)
        out = os.path.join(tmp, "out.pptx")

        def tfeic(spec: str, *extra: str) -> list[str]:
            return [py, "-m", "tfeic", "build", spec, "-o", out, "-q", *extra]

        jobs: list[tuple[str, list[str]]] = []
        for n in SIZES:
            jobs.append((f"tfeic {n}", tfeic(specs[n], "--no-cache")))
            jobs.append((f"plain python-pptx {n}", [py, script, str(n), out]))
            if pandoc:
                jobs.append((f"pandoc {n}", [pandoc, "-o", out, mds[n]]))
        jobs.append(("tfeic 500 charts", tfeic(charts, "--no-cache")))
        jobs.append(("plain 500 charts", [py, script, "500", out, "--chart"]))
        with open(specs[500]) as f:
            text = f.read()
        for round_ in range(args.repeat + 1):  # round 0 compiles the bytecode and is not counted
            for name, argv in jobs:
                result = run_process(argv, env)
                if round_:
                    samples.add(name, result)
            shutil.rmtree(env["TFEIC_CACHE_DIR"], ignore_errors=True)
            write(specs[500], text)
            cached = run_process(tfeic(specs[500]), env)  # fills the cache (a cold build with the cache on)
            noop = run_process(tfeic(specs[500]), env)
            write(specs[500], text.replace(*EDIT, 1))
            edit = run_process(tfeic(specs[500]), env)
            if round_:
                samples.add("tfeic 500 (cache on)", cached)
                samples.add("tfeic 500 no-op", noop)
                samples.add("tfeic 500 one-slide edit", edit)
        write(specs[500], text)
        print(f"whole processes, cold; min / median / max of {args.repeat} interleaved rounds; ratios of medians")
        for name in samples.seconds:
            print(samples.line(name))
        m = samples.median
        ok = check("tfeic500 / plain500", m("tfeic 500") / m("plain python-pptx 500"), 0.5)
        if pandoc:
            ok &= check("tfeic500 / pandoc500", m("tfeic 500") / m("pandoc 500"), 0.35)
        else:
            print(f"  pandoc baseline skipped: {why}")
        rss = max(samples.rss["tfeic 500"]) / max(samples.rss["plain python-pptx 500"])
        ok &= check("peak RSS tfeic500 / plain500", rss, 1.5)
        ok &= check("tfeic500 / tfeic50", m("tfeic 500") / m("tfeic 50"), 10)
        ok &= check("charts: tfeic500 / plain500", m("tfeic 500 charts") / m("plain 500 charts"), 0.3)
        ok &= check("no-op / cold (cache on)", m("tfeic 500 no-op") / m("tfeic 500 (cache on)"), 0.05, "%")
        ok &= check("one-slide edit / cold (cache on)", m("tfeic 500 one-slide edit") / m("tfeic 500 (cache on)"), 0.25, "%")
        sys.path.insert(0, REPO)
        print(in_process(specs, tmp))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
