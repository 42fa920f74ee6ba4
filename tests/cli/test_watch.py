"""``tfeic watch``: a real file change triggers a rebuild; a broken edit reports and keeps watching."""

from __future__ import annotations

import contextlib
import io
import queue
import re
import threading

from tfeic.cli import build_parser
from tfeic.cli.watch import watch

from .conftest import DECK

WAIT_S = 20  # bounded: a missed change fails the test instead of hanging it


def next_code(codes: queue.Queue, expected: int) -> int:
    """The first build code equal to ``expected`` (an editor's save may trigger two builds)."""
    while (code := codes.get(timeout=WAIT_S)) != expected:
        pass
    return code


def test_watch_rebuilds_on_change_and_survives_a_broken_edit(deck, tmp_path):
    out = tmp_path / "deck.pptx"
    args = build_parser().parse_args(["watch", str(deck), "-o", str(out), "--format", "github"])
    codes: queue.Queue[int] = queue.Queue()
    stop = threading.Event()
    err = io.StringIO()

    def run():
        with contextlib.redirect_stderr(err):
            watch(args, stop, codes.put)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        assert codes.get(timeout=WAIT_S) == 0
        first = out.read_bytes()
        deck.write_text(DECK.replace("kind: bullets", "kind: bulets"))
        assert next_code(codes, 2) == 2
        deck.write_text(DECK.replace("Three", "Four"))
        assert next_code(codes, 0) == 0
        assert out.read_bytes() != first
    finally:
        stop.set()
        thread.join(WAIT_S)
    assert not thread.is_alive()
    assert f"::error file={deck},line=" in err.getvalue()
    status = re.findall(r"^watching .* \((ok|failed) in (\d+\.\d{3}) s; Ctrl-C to stop\)$", err.getvalue(), re.M)
    assert [s for s, _ in status][:2] == ["ok", "failed"] and status[-1][0] == "ok"  # each build says how long it took
