"""``tfeic trace summary FILE|DIR|GLOB [--json] [--window START:END | --range NAME]``: what a profiler
trace holds (stages, top kernels, copies per direction, KV events, I/O, lanes), for checking a trace
before putting it on slides; for a set of per-rank traces, each rank's figures and the skew between
ranks. ``tfeic trace diff A B [--json]``: two traces (or sets) compared per stage, kernel class and
kernel. ``--json`` outputs are stable contracts: schemas/trace-summary.schema.json (one trace),
trace-set.schema.json (a set), trace-diff.schema.json (a comparison)."""

from __future__ import annotations

from tfeic.core.diagnostics import Diagnostic, Pos, SpecError
from tfeic.core.terminal import print_json, show


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("trace", help="inspect profiler traces")
    sub = parser.add_subparsers(dest="trace_command", metavar="SUBCOMMAND", required=True, parser_class=type(parser))
    summary = sub.add_parser("summary", help="summarise a trace (nsys, Chrome/Kineto, NVTX JSON)")
    summary.add_argument("files", nargs="+", metavar="FILE|DIR|GLOB",
                         help="a trace file (format detected from its content), or per-rank traces: a directory, a quoted glob or several files")
    summary.add_argument("--json", action="store_true",
                         help="print JSON (schemas/trace-summary.schema.json; a set: schemas/trace-set.schema.json)")
    _window_arguments(summary)
    summary.set_defaults(func=run_summary)
    diff = sub.add_parser("diff", help="compare two traces or two sets of per-rank traces (B against A)")
    diff.add_argument("a", metavar="A", help="the baseline: a trace file, a directory or a quoted glob of per-rank traces")
    diff.add_argument("b", metavar="B", help="the trace (or set) compared with A")
    diff.add_argument("--json", action="store_true", help="print the comparison as JSON (schemas/trace-diff.schema.json)")
    diff.add_argument("--top", type=int, default=10, metavar="N", help="kernels listed, the largest on either side (default 10)")
    _window_arguments(diff)
    diff.set_defaults(func=run_diff)


def _window_arguments(parser) -> None:
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--window", metavar="START:END", help="only events starting in this window, e.g. 0:5ms (per rank, from its own start)")
    which.add_argument("--range", metavar="NAME", dest="range_name", help="only events in the first range with this name or label")


def _open_set(args, path: str):
    from tfeic.domains.timeline.traceset import open_set

    return open_set(path, window=args.window, range_name=args.range_name)


def run_summary(args) -> int:
    from tfeic.domains.timeline import choose_window, open_trace
    from tfeic.domains.timeline.traceset import is_set, summarise_set
    from tfeic.domains.timeline.kernel_stats import KernelStats
    from tfeic.domains.timeline.utilisation import utilisation

    if len(args.files) > 1 or is_set(args.files[0]):
        traces = (summarise_set(args.files, window=args.window, range_name=args.range_name) if len(args.files) > 1
                  else _open_set(args, args.files[0]))
        if args.json:
            print_json(traces.as_dict())
        else:
            show(format_set(traces))
        return 0
    timeline = open_trace(args.files[0])
    flag = Pos("--window" if args.window is not None else "--range")  # a bad value is reported at its flag
    window = choose_window(timeline, args.window, args.range_name, pos=flag)
    summary = timeline.summary(window)
    stats = KernelStats.of(timeline.kernel_groups(window))
    devices = utilisation(timeline.gpu_records(summary.window), summary.window)
    if args.json:
        data = summary.as_dict()
        data["kernels"].update(stats.as_dict())
        data["utilisation"] = [d.as_dict() for d in devices]
        print_json(data)
    else:
        show(format_text(summary, stats, devices))
    return 0


def run_diff(args) -> int:
    from tfeic.domains.timeline.diff import compare, side_of

    if args.top < 0:
        raise SpecError(Diagnostic(f"--top {args.top}: must be 0 or more", Pos("--top")))
    sets = [_open_set(args, path) for path in (args.a, args.b)]
    a, b = (side_of(path, [r.summary for r in s.ranks], s.taxonomy) for path, s in zip((args.a, args.b), sets))
    result = compare(a, b, top=args.top)
    if args.json:
        print_json(result.as_dict())
    else:
        show(format_diff(result))
    return 0


def format_text(summary, stats, devices) -> str:
    from tfeic.domains.timeline.report import duration, percent, size

    w = summary.window
    lines = [f"format: {summary.format}", f"window: {duration(w.start_ns)} .. {duration(w.end_ns)} ({duration(w.duration_ns)})", ""]

    _table(lines, "stages", ("name", "kind", "count", "total", "mean"), [(s.name, s.kind, s.count, duration(s.total_ns), duration(s.mean_ns)) for s in summary.stages])
    lines.append(f"kernels: {summary.kernel_count} launches, {duration(summary.kernel_total_ns)} GPU time")
    total = summary.kernel_total_ns or 1
    _table(lines, "kernel classes", ("class", "count", "total", "share"), [(c.cls, c.count, duration(c.total_ns), percent(c.total_ns, total)) for c in stats.classes()])
    _table(lines, "top kernels", ("name", "class", "count", "total", "mean", "median", "min", "max", "stddev", "share"),
                 [(_short(k.name), k.cls, k.count, duration(k.total_ns), duration(k.mean_ns), duration(k.median_ns), duration(k.min_ns),
                   duration(k.max_ns), duration(k.stddev_ns), percent(k.total_ns, total)) for k in stats.kernels[:10]])
    _table(lines, "utilisation", ("device", "busy", "idle", "compute", "comm", "memory", "overlap"),
                 [(d.device, percent(d.busy_ns, d.window_ns), duration(d.idle_ns), duration(d.compute_ns), duration(d.communication_ns),
                   duration(d.memory_ns), duration(d.overlap_ns)) for d in devices])
    _table(lines, "copies", ("direction", "count", "bytes", "time", "GB/s"), [(c.direction, c.count, size(c.bytes), duration(c.total_ns), f"{c.gbps:.2f}") for c in summary.copies])
    _table(lines, "KV events", ("name", "count", "total"), [(s.name, s.count, duration(s.total_ns)) for s in summary.kv_events])
    _table(lines, "I/O", ("name", "count", "total"), [(s.name, s.count, duration(s.total_ns)) for s in summary.io])
    _table(lines, "lanes", ("lane", "spans", "busy"), [(s.name, s.count, duration(s.total_ns)) for s in summary.lanes])
    return "\n".join(lines).rstrip()


def _table(lines: list[str], title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
    """A titled text table: the first column left-aligned, the others right-aligned; none when empty."""
    if not rows:
        return
    cells = [header, *[tuple(str(c) for c in r) for r in rows]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines.append(title)
    for r in cells:
        lines.append("  " + "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)))
    lines.append("")


def format_set(traces) -> str:
    """Per rank: file, where its id came from, span, kernel launches and time; then the skew."""
    from tfeic.domains.timeline.report import change, duration, signed_duration

    lines: list[str] = [f"{len(traces.ranks)} ranks", ""]
    _table(lines, "ranks", ("rank", "from", "file", "format", "span", "kernels", "kernel time"),
           [(r.rank, r.rank_from, r.path, r.summary.format, duration(r.summary.window.duration_ns), r.summary.kernel_count,
             duration(r.summary.kernel_total_ns)) for r in traces.ranks])
    _table(lines, "skew (slowest rank against the median)", ("measure", "ranks", "slowest", "time", "median", "excess", "fastest"),
           [(_short(s.name, 40), s.ranks, s.slowest_rank, duration(s.slowest_ns), duration(s.median_ns),
             f"{signed_duration(s.excess_ns)} ({change(s.excess_ratio)})", s.fastest_rank) for s in traces.skew()])
    return "\n".join(lines).rstrip()


def format_diff(result) -> str:
    """Totals, stages, classes, top kernels, then the kernels only one side has."""
    from tfeic.domains.timeline.report import change, duration, signed_duration

    def rows(deltas) -> list[tuple]:
        return [(_short(d.name, 70), d.kind, duration(d.a_ns), duration(d.b_ns), signed_duration(d.delta_ns),
                 change(d.ratio) if d.status == "both" else d.status) for d in deltas]

    header = ("name", "kind", "A", "B", "B - A", "change")
    lines = [f"{key}: {side.label} ({side.ranks} rank{'s' * (side.ranks != 1)})" for key, side in (("A", result.a), ("B", result.b))]
    lines += ["times are per-rank means", ""] if max(result.a.ranks, result.b.ranks) > 1 else [""]
    for title, deltas in (("totals", result.totals), ("stages", result.stages), ("kernel classes", result.classes),
                          ("top kernels", result.kernels), ("new kernels (only in B)", result.new),
                          ("vanished kernels (only in A)", result.vanished)):
        _table(lines, title, header, rows(deltas))
    return "\n".join(lines).rstrip()


def _short(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else name[: limit - 3] + "..."
