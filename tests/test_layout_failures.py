"""Planted layout failures end in exit 4 with TeX-style diagnostics at the directive's position."""

from __future__ import annotations

import re
import textwrap


from tfeic.directives import DIRECTIVES, Directive
from tfeic.ir import Paragraph, Slide, Span, TextBlock


@DIRECTIVES.register
class _OverlapDirective(Directive):
    """A (test-only) plugin that wrongly puts two boxes into one area."""

    name = "test_overlap"
    summary = "test only"
    schema = {"type": "object", "properties": {}, "additionalProperties": False}

    def expand(self, spec, data, ctx):
        box = TextBlock(area="body", paragraphs=(Paragraph((Span("one"),)),), name="first")
        other = TextBlock(area="body", paragraphs=(Paragraph((Span("two"),)),), name="second")
        return [Slide(title="Overlap", layout="title-body", blocks=(box, other))]


def build(cli, tmp_path, body: str):
    deck = tmp_path / "deck.yaml"
    deck.write_text(textwrap.dedent(body))
    out = tmp_path / "o.pptx"
    return str(deck), cli("build", str(deck), "-o", str(out)), out


def test_overflowing_text_reports_points_at_the_directive(cli, tmp_path):
    long_text = " ".join(["words that will never fit on a single slide"] * 60)
    deck, res, out = build(cli, tmp_path, f"""\
        title: T
        slides:
          - kind: title
          - kind: columns
            title: Too much
            columns:
              - text: "{long_text}"
              - text: short
        """)
    assert res.code == 4, res.err
    line = next(l for l in res.err.splitlines() if "overfull" in l)
    assert line.startswith(f"{deck}:4:5: ")
    assert 'slide 2 "Too much", box left' in line
    needs, has, over = map(float, re.search(r"needs ([\d.]+) pt, has ([\d.]+) pt \(overfull by ([\d.]+) pt\)", line).groups())
    assert needs > has and abs((needs - has) - over) < 0.11
    assert not out.exists()


def test_word_wider_than_its_box_is_an_error(cli, tmp_path):
    deck, res, _ = build(cli, tmp_path, """\
        title: T
        slides:
          - kind: columns
            title: Long word
            columns:
              - text: short
              - text: short
              - text: Supercalifragilisticexpialidocious_is_far_too_long_for_any_column
        """)
    assert res.code == 4, res.err
    assert f"{deck}:3:5:" in res.err and "Supercalifragilisticexpialidocious" in res.err and " pt" in res.err


def test_overlapping_boxes_fail_the_proof(cli, tmp_path):
    deck, res, _ = build(cli, tmp_path, """\
        title: T
        slides:
          - kind: test_overlap
        """)
    assert res.code == 4, res.err
    assert f"{deck}:3:5:" in res.err and "first" in res.err and "second" in res.err
