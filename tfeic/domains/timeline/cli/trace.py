"""``tfeic trace summary FILE [--json] [--window START:END | --range NAME]``: what a profiler trace
holds (stages, top kernels, copies per direction, KV events, I/O, lanes), for checking a trace
before putting it on slides. ``--json`` is a stable contract: schemas/trace-summary.schema.json."""

from __future__ import annotations

from tfeic.core.diagnostics import Pos
from tfeic.core.terminal import print_json, show


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("trace", help="inspect profiler traces")
    sub = parser.add_subparsers(dest="trace_command", metavar="SUBCOMMAND", required=True, parser_class=type(parser))
    summary = sub.add_parser("summary", help="summarise a trace (nsys, Chrome/Kineto, NVTX JSON)")
    summary.add_argument("file", help="trace file; the format is detected from its content")
    summary.add_argument("--json", action="store_true", help="print the summary as JSON (schemas/trace-summary.schema.json)")
    which = summary.add_mutually_exclusive_group()
    which.add_argument("--window", metavar="START:END", help="only events starting in this window, e.g. 0:5ms")
    which.add_argument("--range", metavar="NAME", dest="range_name", help="only events in the first range with this name or label")
    summary.set_defaults(func=run_summary)


def run_summary(args) -> int:
    from tfeic.domains.timeline import choose_window, open_trace
    from tfeic.domains.timeline.kernel_stats import KernelStats
    from tfeic.domains.timeline.utilisation import utilisation

    timeline = open_trace(args.file)
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


def format_text(summary, stats, devices) -> str:
    from tfeic.domains.timeline.report import duration, percent, size

    w = summary.window
    lines = [f"format: {summary.format}", f"window: {duration(w.start_ns)} .. {duration(w.end_ns)} ({duration(w.duration_ns)})", ""]

    def table(title: str, header: tuple[str, ...], rows: list[tuple]) -> None:
        if not rows:
            return
        cells = [header, *[tuple(str(c) for c in r) for r in rows]]
        widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
        lines.append(title)
        for r in cells:
            lines.append("  " + "  ".join(c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(r)))
        lines.append("")

    table("stages", ("name", "kind", "count", "total", "mean"), [(s.name, s.kind, s.count, duration(s.total_ns), duration(s.mean_ns)) for s in summary.stages])
    lines.append(f"kernels: {summary.kernel_count} launches, {duration(summary.kernel_total_ns)} GPU time")
    total = summary.kernel_total_ns or 1
    table("kernel classes", ("class", "count", "total", "share"), [(c.cls, c.count, duration(c.total_ns), percent(c.total_ns, total)) for c in stats.classes()])
    table("top kernels", ("name", "class", "count", "total", "mean", "median", "min", "max", "stddev", "share"),
          [(_short(k.name), k.cls, k.count, duration(k.total_ns), duration(k.mean_ns), duration(k.median_ns), duration(k.min_ns),
            duration(k.max_ns), duration(k.stddev_ns), percent(k.total_ns, total)) for k in stats.kernels[:10]])
    table("utilisation", ("device", "busy", "idle", "compute", "comm", "memory", "overlap"),
          [(d.device, percent(d.busy_ns, d.window_ns), duration(d.idle_ns), duration(d.compute_ns), duration(d.communication_ns),
            duration(d.memory_ns), duration(d.overlap_ns)) for d in devices])
    table("copies", ("direction", "count", "bytes", "time", "GB/s"), [(c.direction, c.count, size(c.bytes), duration(c.total_ns), f"{c.gbps:.2f}") for c in summary.copies])
    table("KV events", ("name", "count", "total"), [(s.name, s.count, duration(s.total_ns)) for s in summary.kv_events])
    table("I/O", ("name", "count", "total"), [(s.name, s.count, duration(s.total_ns)) for s in summary.io])
    table("lanes", ("lane", "spans", "busy"), [(s.name, s.count, duration(s.total_ns)) for s in summary.lanes])
    return "\n".join(lines).rstrip()


def _short(name: str, limit: int = 60) -> str:
    return name if len(name) <= limit else name[: limit - 3] + "..."
