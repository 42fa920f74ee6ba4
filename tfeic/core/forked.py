"""Work on a long deck's slides split over two processes: the second half in a forked child.

Layout (``pipeline``) and drawing (``render.deck``) both work slide by slide, each slide on its own:
a slide's layout depends only on the slide and the theme (the pipeline relies on it to cache each
slide alone), and a slide's parts only on it and what the first render pass named. So halves worked
apart give exactly what one loop gives. A child made by ``fork`` starts with everything the parent
has loaded (fonts, the theme, memoised words, the frame) and sends back its half pickled through a
private pipe (``multiprocessing``'s fork context, which also ends the child); that costs about a
tenth of the work it saves, so only many slides are split. Anything that fails in the child (a slide
that cannot be proven, any error) is done again by the parent, which then raises exactly what a
loop would. Nothing here knows what a slide is.

Only where it is safe and useful: Linux (``fork`` without ``exec`` is unsafe on macOS with some
system libraries), a second CPU this process may run on, and no other thread alive (a forked child
would inherit another thread's locks, held, with no thread to release them).
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from typing import Callable, TypeVar

MIN_GROUPS = 48  # below this the fork and the pickling cost more than half the work saves

Result = TypeVar("Result")


def map_in_halves(work: Callable[[list], Result], groups: list[list]) -> list[Result]:
    """``[work(group) for group in groups]``, the second half computed in a forked child when
    ``can_split(len(groups))``; same values, same exceptions, same order."""
    if not can_split(len(groups)):
        return [work(group) for group in groups]
    import multiprocessing

    half = len(groups) // 2
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    for stream in (sys.stdout, sys.stderr):  # the child flushes its copy of these when it ends
        stream.flush()
    child = context.Process(target=_second_half, args=(work, groups[half:], send), daemon=True)
    child.start()
    send.close()
    try:
        first = [work(group) for group in groups[:half]]
    finally:  # whatever happened here, the child is read to the end and reaped
        try:
            payload = receive.recv_bytes()
        except EOFError:  # the child died before it could say anything
            payload = b""
        receive.close()
        child.join()
    second = pickle.loads(payload) if payload else [work(group) for group in groups[half:]]
    return first + second


def _second_half(work: Callable[[list], Result], groups: list[list], send) -> None:
    """The child's part: its half pickled into the pipe; nothing if anything fails (the parent then
    does that half itself and raises what a loop raises)."""
    try:
        payload = pickle.dumps([work(group) for group in groups], protocol=pickle.HIGHEST_PROTOCOL)
    except BaseException:
        payload = b""
    send.send_bytes(payload)
    send.close()


def can_split(groups: int) -> bool:
    """Whether ``groups`` groups are worth splitting here and it is safe to fork."""
    if groups < MIN_GROUPS or not sys.platform.startswith("linux") or not hasattr(os, "fork"):
        return False
    if os.environ.get("TFEIC_JOBS") == "1":  # the user asked for one process
        return False
    return len(os.sched_getaffinity(0)) > 1 and threading.active_count() == 1
