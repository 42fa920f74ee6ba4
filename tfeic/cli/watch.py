"""``tfeic watch SPEC``: build, then rebuild whenever the spec, its theme (or a theme it extends) or an
input file changes. A broken edit prints its diagnostics and the watch goes on; Ctrl-C exits 0.

Rebuilds go through the same incremental cache as ``tfeic build``, so an edit to one slide costs
about one slide.
"""

from __future__ import annotations

import os
import sys
import threading
import time

from ..core.diagnostics import TfeicError
from ..core.terminal import show
from .build import add_output_arguments, build_once
from .common import add_deck_arguments, print_diagnostics
from .exit_codes import exit_code

DEBOUNCE_MS = 300  # an editor's save is often several writes; wait for them to settle
ARM_MS = 200  # the watcher reports once, empty, after this long: from then on no change is missed


def add_parser(sub) -> None:
    p = sub.add_parser("watch", help="rebuild a deck whenever it or its inputs change", description=__doc__)
    add_deck_arguments(p)
    add_output_arguments(p)
    p.set_defaults(func=run)


def run(args) -> int:
    try:
        watch(args)
    except KeyboardInterrupt:
        pass
    return 0


def watch(args, stop: threading.Event | None = None, on_build=None) -> None:
    """Build, then rebuild on every relevant change until ``stop`` is set (or Ctrl-C).

    ``on_build(code)`` is called after every build, with its exit code, once the watch for the next
    change is armed (tests wait on it before they edit)."""
    from watchfiles import watch as changes

    watched = {os.path.abspath(args.spec)}
    while True:
        stamps = _stamps(watched)
        code, watched = _build(args, watched)
        roots = sorted({os.path.dirname(p) for p in watched if os.path.isdir(os.path.dirname(p))})
        armed = False
        for batch in changes(*roots, debounce=DEBOUNCE_MS, stop_event=stop, recursive=False, rust_timeout=ARM_MS,
                             yield_on_timeout=True, watch_filter=lambda _, path: os.path.abspath(path) in watched):
            if not armed:
                armed = True
                if on_build:
                    on_build(code)
                if _stamps(stamps) != stamps:  # saved while the build ran, before the watch was armed
                    break
            if batch:
                break
        else:  # the stop event ended the watch
            return


def _stamps(paths) -> dict[str, tuple[int, int] | None]:
    """(mtime, size) of each path, None for a missing one."""
    out: dict[str, tuple[int, int] | None] = {}
    for path in paths:
        try:
            st = os.stat(path)
            out[path] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[path] = None
    return out


def _build(args, watched: set[str]) -> tuple[int, set[str]]:
    """One build; returns its exit code and the files to watch next (the last good set, plus the
    spec, when the spec itself cannot be read). The status line says how long the build took, the
    number ``benchmarks/bench_incremental.py`` reads for the edit-look loop."""
    spec = os.path.abspath(args.spec)
    command = ("tfeic", "build", args.spec)
    start = time.perf_counter()
    try:
        watched, code = {spec, *build_once(args, command)}, 0
    except TfeicError as e:
        print_diagnostics(e.diagnostics, args.format)
        code = int(exit_code(e))
    if not args.quiet:
        status = f"{'ok' if code == 0 else 'failed'} in {time.perf_counter() - start:.3f} s"
        show(f"watching {args.spec} ({status}; Ctrl-C to stop)", sys.stderr, flush=True)
    return code, watched | {spec}

