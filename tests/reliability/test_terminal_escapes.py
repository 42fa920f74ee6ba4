"""Strings from data never steer the terminal: every control, ESC and bidi override the CLI would
print from a trace, a deck or a command line arrives as a visible escape (``\\x1b``), one diagnostic
stays one line, and ``--json`` output escapes them as JSON does (and still parses to the original)."""

from __future__ import annotations

import json

import pytest
import yaml

from tfeic.core.terminal import json_text, terminal_safe

from .harness import build, run_checked

HOSTILE = "attn\x1b[31mred\x1b]0;pwned\x07\u202eevil\rover\x9b2J\u2066x\ud800"
RAW = ("\x1b", "\x07", "\u202e", "\r", "\x9b", "\u2066", "\ud800")


def assert_no_raw(*streams: str) -> None:
    for text in streams:
        assert not any(c in text for c in RAW), repr(text)


def test_unsafe_characters_become_visible_escapes():
    assert terminal_safe(HOSTILE) == "attn\\x1b[31mred\\x1b]0;pwned\\x07\\u202eevil\\x0dover\\x9b2J\\u2066x\\ud800"
    assert terminal_safe("a\tb\nc") == "a\tb\nc" and terminal_safe("a\nb", one_line=True) == "a\\x0ab"
    text = "naïve 中文 Ελληνικά עברית 👩‍💻 \u00a0"  # ordinary text of any script, ZWJ emoji included, is untouched
    assert terminal_safe(text) == text


@pytest.mark.parametrize("ascii_only", [True, False])
def test_json_escapes_them_and_still_round_trips(ascii_only):
    value = {"name": HOSTILE.replace("\ud800", ""), "n": 1}
    text = json_text(value, ensure_ascii=ascii_only)
    assert_no_raw(text)
    assert json.loads(text) == value


def chrome_trace(tmp_path):
    events = [{"ph": "X", "cat": "kernel", "name": HOSTILE.replace("\ud800", ""), "ts": 5, "dur": 3, "pid": 0, "tid": 1}]
    path = tmp_path / "t.json"
    path.write_text(json.dumps({"traceEvents": events}))
    return path


def test_trace_summary_text(cli, tmp_path):
    result = run_checked(cli, "trace", "summary", str(chrome_trace(tmp_path)))
    assert result.code == 0
    assert_no_raw(result.out, result.err)
    assert "attn\\x1b[31mred\\x1b]0;pwned\\x07\\u202eevil" in result.out


def test_trace_summary_json(cli, tmp_path):
    result = run_checked(cli, "trace", "summary", str(chrome_trace(tmp_path)), "--json")
    assert result.code == 0
    assert_no_raw(result.out, result.err)
    names = [k["name"] for k in json.loads(result.out)["kernels"]["top"]]
    assert names == [HOSTILE.replace("\ud800", "")]


@pytest.mark.parametrize("fmt", ["text", "json", "github"])
def test_build_diagnostics(cli, tmp_path, fmt):
    """A missing data file whose name holds ESC, OSC, a bidi override and a newline."""
    name = "data\x1b[2J\x1b]0;pwned\x07\u202e\nrow.csv"
    deck = {"title": "t", "sources": {"s": {"kind": "table", "path": name}}, "slides": [{"kind": "table", "source": "s"}]}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(deck))
    extra = () if fmt == "text" else ("--format", fmt)
    if fmt == "text":
        result = build(cli, tmp_path / "deck.yaml", tmp_path / "out.pptx")  # also: one line per diagnostic
    else:
        result = cli("build", str(tmp_path / "deck.yaml"), "-o", str(tmp_path / "out.pptx"), "--no-cache", "-q", *extra)
    assert result.code == 3
    assert_no_raw(result.out, result.err)
    if fmt == "text":
        assert "data\\x1b[2J\\x1b]0;pwned\\x07\\u202e\\x0arow.csv" in result.err
    if fmt == "json":
        assert any(name in d["message"] for d in json.loads(result.err)), result.err


def test_usage_error(cli):
    result = run_checked(cli, "list", "\x1b]0;pwned\x07\n")
    assert result.code == 2 and len(result.err.splitlines()) == 1
    assert_no_raw(result.err)
