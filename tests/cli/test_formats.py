"""--format text|json|github on every command that compiles a deck, for spec and layout errors."""

from __future__ import annotations

import json

import pytest

from tfeic.cli.common import github_annotation
from tfeic.core.diagnostics import Diagnostic, Pos

BROKEN = "title: Broken\ntheme: light\nsources: {}\nslides:\n  - kind: bulets\n    items: [a]\n"


@pytest.fixture
def broken(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text(BROKEN)
    return str(path)


def extra_args(command: str, tmp_path) -> list[str]:
    return {"build": ["-o", str(tmp_path / "x.pptx"), "--no-cache"], "explain": ["--slide", "1"]}.get(command, [])


@pytest.mark.parametrize("command", ["build", "validate", "explain"])
def test_text_format_names_file_line_and_column(cli, broken, tmp_path, command):
    res = cli(command, broken, *extra_args(command, tmp_path))
    assert res.code == 2
    assert f"{broken}:5:11: error: " in res.err and "bulets" in res.err


@pytest.mark.parametrize("command", ["build", "validate", "explain"])
def test_json_format_is_one_array_of_diagnostics(cli, broken, tmp_path, command):
    res = cli(command, broken, "--format", "json", *extra_args(command, tmp_path))
    assert res.code == 2
    found = json.loads(res.err[res.err.index("["):])
    assert found[0]["path"] == broken and (found[0]["line"], found[0]["col"]) == (5, 11)
    assert found[0]["severity"] == "error" and "bulets" in found[0]["message"]


@pytest.mark.parametrize("command", ["build", "validate", "explain"])
def test_github_format_is_a_workflow_annotation(cli, broken, tmp_path, command):
    res = cli(command, broken, "--format", "github", *extra_args(command, tmp_path))
    assert res.code == 2
    line = next(ln for ln in res.err.splitlines() if ln.startswith("::"))
    assert line.startswith(f"::error file={broken.replace(':', '%3A')},line=5,col=11::")


def test_layout_failure_in_github_format(cli, tmp_path):
    deck = tmp_path / "long.yaml"
    deck.write_text("title: T\ntheme: light\nsources: {}\nslides:\n  - kind: title\n    title: " + "Word " * 120 + "\n")
    res = cli("validate", str(deck), "--format", "github")
    assert res.code == 4
    assert f"::error file={deck},line=5,col=5::" in res.err


def test_github_annotation_escapes_newlines_and_property_separators():
    d = Diagnostic("two\nlines, 100%", Pos("a,b:c.yaml", 3, 4), hint="fix it")
    assert github_annotation(d) == "::error file=a%2Cb%3Ac.yaml,line=3,col=4::two%0Alines, 100%25 (fix it)"
    assert github_annotation(Diagnostic("no position")) == "::error::no position"
