"""Progress goes to stderr as lines when it is not a terminal, and nowhere with --quiet."""

from __future__ import annotations

import io

from tfeic.core.progress import LineProgress, Progress, progress_for


def test_lines_when_not_a_terminal_and_nothing_when_quiet():
    stream = io.StringIO()
    assert isinstance(progress_for(False, stream), LineProgress)
    assert type(progress_for(True, stream)) is Progress


def test_build_prints_one_line_per_stage(cli, deck, tmp_path):
    res = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert res.err.splitlines()[:3] == ["tfeic: resolving sources (0)", "tfeic: expanding and laying out slides (4)",
                                        "tfeic: rendering (4)"]
    assert res.out == ""


def test_quiet_build_prints_nothing(cli, deck, tmp_path):
    res = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "-q")
    assert res.code == 0 and res.err == "" and res.out == ""
