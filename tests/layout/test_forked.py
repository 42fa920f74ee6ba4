"""A long deck's layout split over a forked child (``tfeic.core.forked``) gives what one loop gives:
the same values in the same order, the same exception, and no fork where forking is unsafe."""

from __future__ import annotations

import os
import threading

import pytest

from tfeic.core.forked import MIN_GROUPS, can_split, map_in_halves
from tfeic.pipeline import BuildOptions, compile_deck

GROUPS = [[n, n + 1] for n in range(MIN_GROUPS + 12)]


def tagged(group: list[int]) -> tuple[int, int]:
    """A group's sum and the process that worked it out."""
    return sum(group), os.getpid()


def test_values_and_order_are_the_loops_and_the_second_half_ran_in_a_child():
    results = map_in_halves(tagged, GROUPS)
    assert [value for value, _ in results] == [2 * n + 1 for n in range(len(GROUPS))]
    pids = {pid for _, pid in results}
    if not can_split(len(GROUPS)):
        pytest.skip("this machine does not split (one CPU, or not Linux)")
    half = len(GROUPS) // 2
    assert {pid for _, pid in results[:half]} == {os.getpid()}
    assert len(pids) == 2  # the second half came from another process


def test_a_failure_in_the_childs_half_is_raised_as_the_loop_raises_it():
    def work(group: list[int]) -> int:
        if group[0] == len(GROUPS) - 3:  # in the second half
            raise ValueError(f"group {group[0]} cannot be laid out")
        return sum(group)

    with pytest.raises(ValueError, match=f"group {len(GROUPS) - 3} cannot be laid out"):
        map_in_halves(work, GROUPS)


def test_no_fork_while_another_thread_is_alive():
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not can_split(len(GROUPS))
        assert {pid for _, pid in map_in_halves(tagged, GROUPS)} == {os.getpid()}
    finally:
        release.set()
        thread.join()


def test_a_deck_laid_out_in_halves_is_the_deck_laid_out_in_one_loop(tmp_path, monkeypatch):
    slides = "".join(f"  - kind: bullets\n    title: Slide {n}\n    items: [Point {n} of the deck, "
                     f"a second point that wraps onto another line of the box]\n" for n in range(MIN_GROUPS + 4))
    deck = tmp_path / "long.yaml"
    deck.write_text(f"title: A long deck\ndate: '2026-01-01'\nslides:\n{slides}")
    split = compile_deck(str(deck), BuildOptions())
    monkeypatch.setenv("TFEIC_JOBS", "1")
    one_loop = compile_deck(str(deck), BuildOptions())
    assert split.placed == one_loop.placed and split.proof == one_loop.proof
    assert split.pptx == one_loop.pptx
