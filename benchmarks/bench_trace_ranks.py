"""A trace set of 8 ranks summarised in parallel, against one rank summarised alone, in the same run.

Writes 8 Kineto-shaped per-rank traces of ``--mb`` MiB each (bench_trace.make_chrome's events, with
the ``distributedInfo`` header torch.profiler writes), then measures in fresh child processes:
``single``: one rank's ``summarise_rank`` (rank 0 and rank 7, the slower counts), and ``set``:
``summarise_set`` over all 8 with the default pool (one worker per core, at most 8). Peak RSS is
the process's own ``ru_maxrss``, and for the workers the largest ``VmHWM`` (peak RSS) that
/proc shows for any descendant, sampled every 200 ms while the set runs (the pool's workers are
children of its forkserver, not of this process, so RUSAGE_CHILDREN would not see them). Targets (issue 16):
the set's wall time <= 1.3 x (8 x the slowest single rank / min(8, cores)), i.e. within 30% of a
perfect split of the serial work over the cores; the peak RSS of any one process <= 1.5x one rank's.

    python3 benchmarks/bench_trace_ranks.py [--mb 200] [--ranks 8] [--repeat 3] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_trace import REPO, make_chrome, spread  # noqa: E402

BYTES_PER_EVENT = 205  # what make_chrome writes per event, on average


def make_ranks(folder: str, mb: int, ranks: int) -> list[str]:
    """``ranks`` traces of about ``mb`` MiB: one generated, the others copies with their own rank."""
    template = os.path.join(folder, "template.json")
    make_chrome(template, mb * 2**20 // BYTES_PER_EVENT)
    header = '{"schemaVersion": 1, "traceEvents": [\n'
    paths = []
    for rank in range(ranks):
        path = os.path.join(folder, f"rank{rank}.json")
        with open(template) as src, open(path, "w") as dst:
            assert src.read(len(header)) == header
            dst.write('{"schemaVersion": 1, "distributedInfo": {"backend": "nccl", "rank": %d, "world_size": %d}, "traceEvents": [\n'
                      % (rank, ranks))
            while chunk := src.read(1 << 24):
                dst.write(chunk)
        paths.append(path)
    os.remove(template)
    return paths


def _descendants_peak_kib(root: int) -> int:
    """The largest VmHWM (peak RSS, KiB) among the live descendants of ``root``."""
    parent: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    parent[int(entry)] = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    peak = 0
    for pid in parent:
        p = parent.get(pid)
        while p and p != root:
            p = parent.get(p)
        if p == root:
            try:
                with open(f"/proc/{pid}/status") as f:
                    peak = max([peak] + [int(line.split()[1]) for line in f if line.startswith("VmHWM:")])
            except (OSError, ValueError):
                continue
    return peak


def child(kind: str, paths: list[str]) -> None:
    """One measurement; prints {seconds, rss_mib, children_rss_mib} as JSON."""
    sys.path.insert(0, REPO)
    from tfeic.domains.timeline.traceset import summarise_rank, summarise_set

    peak, done = [0], threading.Event()

    def sample() -> None:
        while not done.wait(0.2):
            peak[0] = max(peak[0], _descendants_peak_kib(os.getpid()))

    sampler = threading.Thread(target=sample, daemon=True)
    if kind == "set":
        sampler.start()
    start = time.perf_counter()
    if kind == "single":
        summarise_rank(paths[0], paths[0], None, None)
    else:
        traces = summarise_set(paths)
        assert [r.rank for r in traces.ranks] == list(range(len(paths)))
    seconds = time.perf_counter() - start
    done.set()
    if kind == "set":
        sampler.join()
    print(json.dumps({"seconds": seconds, "rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "children_rss_mib": peak[0] / 1024}))


def measure(kind: str, paths: list[str]) -> dict:
    out = subprocess.run([sys.executable, os.path.abspath(__file__), "--child", kind, *paths], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200, help="MiB per rank (default 200)")
    parser.add_argument("--ranks", type=int, default=8, help="ranks in the set (default 8)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default 3)")
    parser.add_argument("--dir", help="where to write the generated traces (default: a temp dir)")
    parser.add_argument("--child", nargs="+", metavar="ARG", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], args.child[1:])
        return
    sys.path.insert(0, REPO)
    from tfeic.domains.timeline.traceset import cores as usable_cores

    cores = usable_cores()  # what the pool uses: the CPU affinity
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        paths = make_ranks(tmp, args.mb, args.ranks)
        singles, sets, bounds, wall_ratios, rss_ratios = [], [], [], [], []
        for _ in range(args.repeat):
            one = max((measure("single", [p]) for p in (paths[0], paths[-1])), key=lambda m: m["seconds"])
            many = measure("set", paths)
            bound = args.ranks * one["seconds"] / min(args.ranks, cores)
            singles.append(one)
            sets.append(many)
            bounds.append(bound)
            wall_ratios.append(many["seconds"] / bound)
            rss_ratios.append(max(many["rss_mib"], many["children_rss_mib"]) / one["rss_mib"])
        print(f"{args.ranks} ranks x {args.mb} MiB on {cores} cores: slowest single rank {spread([s['seconds'] for s in singles])} s "
              f"({spread([s['rss_mib'] for s in singles], '{:.0f}')} MiB); set {spread([m['seconds'] for m in sets])} s; "
              f"set / (8 x single / min(8, cores)) = {spread(wall_ratios)} (target <= 1.3); peak RSS of one process: parent "
              f"{spread([m['rss_mib'] for m in sets], '{:.0f}')} MiB, largest worker {spread([m['children_rss_mib'] for m in sets], '{:.0f}')} MiB "
              f"= {spread(rss_ratios)}x one rank's (target <= 1.5x); min/median/max of {args.repeat}")


if __name__ == "__main__":
    main()
