"""Pausing Python's cyclic garbage collector while a build makes many objects that all survive.

Why: expanding and laying out a deck allocates tens of thousands of small values (words, spans,
placed boxes, proof entries) that the build keeps. CPython starts a collection every 700 new
containers and, as they pile up, full collections that walk every object in the process, deck and
theme included; on a 500-slide deck that was a third of the stage's time and found nothing, since
those values hold no reference cycles. The same holds for unpickling a rebuild's cached slides
(0.27 s with the collector, 0.08 s without, for 500 slides) and the whole build: ``tfeic build``
pauses it for each build (``cli.build.build_once``). Memory is unaffected: what the stage drops is freed by
reference counting as before, and any cycle waits for the next collection after the pause.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def cyclic_gc_paused() -> Iterator[None]:
    """Disable the cyclic collector for the ``with`` block; it is enabled again after the block only
    if it was enabled before (a caller that turned it off keeps it off)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
