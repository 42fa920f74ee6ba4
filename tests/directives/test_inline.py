"""Inline markup parsing, as golden cases in inline_cases.yaml."""

from pathlib import Path

import pytest
import yaml

from tfeic.directives.inline import paragraphs, parse_inline

CASES = yaml.safe_load((Path(__file__).parent / "inline_cases.yaml").read_text())


def flags(span) -> str:
    return ("b" if span.bold else "") + ("i" if span.italic else "") + ("c" if span.code else "")


@pytest.mark.parametrize("case", CASES, ids=[c["in"] for c in CASES])
def test_inline_golden(case):
    assert [[s.text, flags(s)] for s in parse_inline(case["in"])] == case["out"]


def test_blank_lines_separate_paragraphs_and_single_newlines_stay():
    paras = paragraphs("first line\nsame paragraph\n\nsecond")
    assert [p.text for p in paras] == ["first line\nsame paragraph", "second"]
