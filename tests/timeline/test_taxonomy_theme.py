"""Kernel taxonomy rules from a theme (``kernel_classes:``): checked when the theme loads (one error at
a bad pattern's line), tried after a deck's own rules and before the shipped ones, and carried to
the slides that classify kernels (kernel_summary, utilisation). Built into real decks over real traces."""

from __future__ import annotations

import json
import re
import sqlite3
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from tfeic.cli import main

from .conftest import FIXTURES

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
SAMPLE = FIXTURES / "testcuda_report1.sqlite"  # nsys 2026.1 sample: four launches of add_parallel, a vector add


def write_theme(folder: Path, rules: str) -> Path:
    """``themes/ours.yaml`` next to the deck: the light theme plus the rules (YAML text)."""
    (folder / "themes").mkdir(exist_ok=True)
    path = folder / "themes" / "ours.yaml"
    path.write_text(f"name: ours\nextends: light\nkernel_classes:\n{rules}")
    return path


def build(folder: Path, source: dict, slides: list[dict]) -> tuple[int, Path]:
    deck = folder / "deck.yaml"
    deck.write_text(json.dumps({"title": "T", "theme": "ours", "sources": {"t": {"kind": "trace", **source}}, "slides": slides}))
    out = folder / "out.pptx"
    return main(["build", str(deck), "-o", str(out)]), out


def chart_xml(pptx: Path) -> ElementTree.Element:
    with zipfile.ZipFile(pptx) as z:
        return ElementTree.fromstring(z.read(next(n for n in z.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n))))


def class_chart(pptx: Path) -> dict[str, float]:
    """kernel_summary's second slide: class -> GPU time (ms) as the chart's XML holds them."""
    (ser,) = chart_xml(pptx).iter(f"{C}ser")
    categories = [pt.find(f"{C}v").text for pt in ser.find(f"{C}cat").iter(f"{C}pt")]
    return dict(zip(categories, (float(pt.find(f"{C}v").text) for pt in ser.find(f"{C}val").iter(f"{C}pt"))))


def sample_kernel_ms() -> float:
    db = sqlite3.connect(SAMPLE)
    (total,) = db.execute('SELECT SUM("end" - start) FROM CUPTI_ACTIVITY_KIND_KERNEL').fetchone()
    db.close()
    return round(total / 1e6, 3)


def test_a_theme_rule_comes_before_the_shipped_taxonomy(tmp_path):
    """Shipped, add_parallel is elementwise (tests/timeline/test_kernel_stats_and_utilisation.py);
    the theme calls it gemm."""
    write_theme(tmp_path, '  - {match: "^add_parallel$", class: gemm}\n')
    rc, out = build(tmp_path, {"path": str(SAMPLE)}, [{"kind": "kernel_summary", "source": "t"}])
    assert rc == 0
    assert class_chart(out) == {"gemm": sample_kernel_ms()}


def test_a_deck_rule_comes_before_the_theme(tmp_path):
    write_theme(tmp_path, '  - {match: "add_parallel", class: gemm}\n')
    source = {"path": str(SAMPLE), "rules": {"kernel_classes": [{"match": "^add_", "class": "communication"}]}}
    rc, out = build(tmp_path, source, [{"kind": "kernel_summary", "source": "t"}])
    assert rc == 0
    assert class_chart(out) == {"communication": sample_kernel_ms()}


def test_a_theme_without_rules_keeps_the_shipped_class(tmp_path):
    write_theme(tmp_path, '  - {match: "^never_a_kernel$", class: gemm}\n')
    rc, out = build(tmp_path, {"path": str(SAMPLE)}, [{"kind": "kernel_summary", "source": "t"}])
    assert rc == 0 and class_chart(out) == {"elementwise": sample_kernel_ms()}


def test_a_bad_pattern_is_one_error_at_its_line(tmp_path, capsys):
    theme = write_theme(tmp_path, '  - {match: "^ok$", class: gemm}\n  - {match: "ours_(attn", class: attention}\n')
    rc, _ = build(tmp_path, {"path": str(SAMPLE)}, [{"kind": "kernel_summary", "source": "t"}])
    err = capsys.readouterr().err
    line = theme.read_text().splitlines().index('  - {match: "ours_(attn", class: attention}') + 1  # 1-based: line 5
    col = theme.read_text().splitlines()[line - 1].index('"ours_(attn"') + 1
    errors = [e for e in err.splitlines() if ": error: " in e]
    assert rc == 2 and len(errors) == 1 and "Traceback" not in err
    assert errors[0].startswith(f"{theme.relative_to(Path.cwd()) if theme.is_relative_to(Path.cwd()) else theme}:{line}:{col}: error: "
                                "kernel_classes[1].match: 'ours_(attn' is not a regular expression")


def test_a_class_outside_the_taxonomy_is_a_schema_error(tmp_path, capsys):
    write_theme(tmp_path, '  - {match: "^ok$", class: matmul}\n')
    rc, _ = build(tmp_path, {"path": str(SAMPLE)}, [{"kind": "kernel_summary", "source": "t"}])
    errors = [e for e in capsys.readouterr().err.splitlines() if ": error: " in e]
    assert rc == 2 and len(errors) == 1 and ":4:" in errors[0] and "kernel_classes[0].class" in errors[0]


def test_the_theme_classes_equal_the_taxonomy_classes():
    """The theme schema lists the classes itself (the theme layer does not import the timeline
    domain): the list must stay the taxonomy's."""
    from tfeic.core.resources import schema_path
    from tfeic.domains.timeline.taxonomy import CLASSES

    with open(schema_path("theme.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    assert schema["properties"]["kernel_classes"]["items"]["properties"]["class"]["enum"] == list(CLASSES)


def series_of(pptx: Path) -> list[str]:
    return [ser.find(f"{C}tx//{C}v").text for ser in chart_xml(pptx).iter(f"{C}ser")]


def test_the_utilisation_slide_follows_the_theme(tmp_path):
    """HTA's sampled rank 0 runs NCCL SendRecv kernels beside compute: shipped, they are
    communication (the slide has communication and overlap parts); a theme calling them gemm
    leaves no communication, so no overlap either."""
    rank0 = FIXTURES / "hta_sampled_ranks" / "sampled_rank-0.json.gz"
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_theme(tmp_path / "a", '  - {match: "^never_a_kernel$", class: gemm}\n')
    write_theme(tmp_path / "b", '  - {match: "nccl", class: gemm}\n')
    slides = [{"kind": "utilisation", "source": "t"}]
    (rc_a, shipped), (rc_b, themed) = (build(tmp_path / d, {"path": str(rank0)}, slides) for d in ("a", "b"))
    assert rc_a == rc_b == 0
    assert series_of(shipped) == ["compute", "overlap", "communication", "memory", "idle"]
    assert series_of(themed) == ["compute", "memory", "idle"]
