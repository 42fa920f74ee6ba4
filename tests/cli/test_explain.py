"""``tfeic explain``: one slide's proof, with the directive and YAML position that made it."""

from __future__ import annotations

import json


def test_explain_lists_every_box_with_size_lines_and_slack(cli, deck):
    res = cli("explain", str(deck), "--slide", "2", "-q")
    assert res.code == 0, res.err
    assert f"made by: bullets at {deck}:8:5" in res.out
    rows = {line.split()[0]: line.split() for line in res.out.splitlines()[5:] if line.startswith("  ") and len(line.split()) == 11}
    assert set(rows) == {"title", "body"}
    assert rows["body"][6:8] == ["28", "3"]  # body size (grown to max_size, issue 17) and three bullet lines
    assert float(rows["body"][10]) > 0  # slack in points
    assert "proven: no overflow, no overlap" in res.out


def test_explain_json_is_the_proof_entry_plus_directive(cli, deck):
    res = cli("explain", str(deck), "--slide", "1", "--json", "-q")
    data = json.loads(res.out)
    assert data["index"] == 1 and data["directive"] == "title" and data["origin"] == f"{deck}:6:5"


def test_explain_out_of_range_is_a_usage_error(cli, deck):
    res = cli("explain", str(deck), "--slide", "9", "-q")
    assert res.code == 2 and "the deck has 4 slides" in res.err


def test_explain_shows_a_failing_slide(cli, tmp_path):
    deck = tmp_path / "long.yaml"
    deck.write_text("title: T\ntheme: light\nsources: {}\nslides:\n  - kind: title\n    title: " + "Word " * 120 + "\n")
    res = cli("explain", str(deck), "--slide", "1", "-q")
    assert res.code == 0
    assert "error:" in res.out and "proven" not in res.out
