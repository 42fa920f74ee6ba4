"""A vs B on real traces: HolisticTraceAnalysis's own compare pair (base/test), TraceLens's H100 and
MI300 traces of one model, and a two-rank set against one of its ranks. Expected deltas are
computed here from the raw JSON (per-kernel-name sums of ``dur``), never by tfeic."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict

import jsonschema
import pytest

from tfeic.cli import main
from tfeic.core.diagnostics import Pos, SpecError
from tfeic.deck.model import SlideSpec
from tfeic.domains.timeline.directives.trace_diff import TraceDiffDirective
from tfeic.domains.timeline import open_trace
from tfeic.domains.timeline.report import distinct_kernel_names

from .conftest import FIXTURES

SCHEMA = json.loads((FIXTURES.parents[2] / "schemas" / "trace-diff.schema.json").read_text())
BASE, TEST = FIXTURES / "hta_trace_compare_base.json.gz", FIXTURES / "hta_trace_compare_test.json.gz"
H100, MI300 = FIXTURES / "tracelens_Qwen1.5-0.5B-Chat_h100.json.gz", FIXTURES / "tracelens_Qwen1.5-0.5B-Chat_mi300.json.gz"


def kernel_ns(path) -> dict[str, int]:
    """Total ns per kernel name: ``X`` events of category ``kernel``, dur in us -> integer ns."""
    with gzip.open(path, "rt") as f:
        events = json.load(f)["traceEvents"]
    totals: dict[str, int] = defaultdict(int)
    for e in events:
        if e.get("ph") == "X" and e.get("cat") == "kernel":
            totals[e["name"]] += int(round(float(e["dur"]) * 1000))
    return dict(totals)


def run_json(capsys, *args) -> dict:
    assert main(["trace", "diff", *map(str, args), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    jsonschema.Draft202012Validator(SCHEMA).validate(doc)
    return doc


@pytest.mark.parametrize("a, b", [(BASE, TEST), (H100, MI300)])
def test_kernel_deltas_new_and_vanished_match_the_raw_events(capsys, a, b):
    ka, kb = kernel_ns(a), kernel_ns(b)
    doc = run_json(capsys, a, b, "--top", "1000")
    total = next(r for r in doc["totals"] if r["name"] == "kernel time")
    assert (total["a"]["total_ns"], total["b"]["total_ns"]) == (sum(ka.values()), sum(kb.values()))
    assert total["delta_ns"] == sum(kb.values()) - sum(ka.values())
    assert total["delta_ratio"] == pytest.approx((sum(kb.values()) - sum(ka.values())) / sum(ka.values()), abs=1e-6)
    assert {r["name"] for r in doc["new"]} == kb.keys() - ka.keys()
    assert {r["name"] for r in doc["vanished"]} == ka.keys() - kb.keys()
    rows = {r["name"]: r for r in doc["kernels"]}
    assert rows.keys() == ka.keys() | kb.keys()
    for name, row in rows.items():
        assert row["delta_ns"] == kb.get(name, 0) - ka.get(name, 0), name
        assert row["status"] == ("new" if name not in ka else "vanished" if name not in kb else "both")
    assert sum(r["b"]["total_ns"] for r in doc["classes"]) == sum(kb.values())  # classes partition kernel time


def steps(path) -> list[int]:
    """Durations (ns) of the ``ProfilerStep#N`` annotations."""
    with gzip.open(path, "rt") as f:
        events = json.load(f)["traceEvents"]
    return [int(round(float(e["dur"]) * 1000)) for e in events if e.get("cat") == "user_annotation" and e["name"].startswith("ProfilerStep#")]


def test_hta_pair_by_hand(capsys):
    """HTA's pair: 6 kernel launches in base, 5 in test, all three names on both sides."""
    ka, kb = kernel_ns(BASE), kernel_ns(TEST)
    assert len(ka) == len(kb) == 3 and ka.keys() == kb.keys()
    doc = run_json(capsys, BASE, TEST)
    assert doc["new"] == [] and doc["vanished"] == []
    row = next(r for r in doc["stages"] if r["name"] == "ProfilerStep")
    sa, sb = steps(BASE), steps(TEST)
    assert row["status"] == "both" and (row["a"]["count"], row["b"]["count"]) == (len(sa), len(sb))
    assert (row["a"]["total_ns"], row["b"]["total_ns"], row["delta_ns"]) == (sum(sa), sum(sb), sum(sb) - sum(sa))


def test_a_set_compares_by_its_per_rank_mean(capsys):
    ranks = FIXTURES / "hta_sampled_ranks"
    k0, k1 = kernel_ns(ranks / "sampled_rank-0.json.gz"), kernel_ns(ranks / "sampled_rank-1.json.gz")
    doc = run_json(capsys, ranks, ranks / "sampled_rank-0.json.gz")
    total = next(r for r in doc["totals"] if r["name"] == "kernel time")
    mean = (sum(k0.values()) + sum(k1.values())) / 2
    assert doc["a"]["ranks"] == 2 and doc["b"]["ranks"] == 1
    assert total["a"]["total_ns"] == mean and total["delta_ns"] == sum(k0.values()) - mean


def test_text_output_and_bad_arguments(capsys):
    assert main(["trace", "diff", str(BASE), str(TEST)]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"A: {BASE} (1 rank)\nB: {TEST} (1 rank)") and "kernel classes" in out
    assert main(["trace", "diff", str(BASE), str(TEST), "--top", "-1"]) == 2
    assert main(["trace", "diff", str(BASE), str(FIXTURES / "missing.json")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "--top" in err[0] and "missing.json" in err[1]


def spec(**options) -> SlideSpec:
    return SlideSpec(0, "trace_diff", options, Pos("deck.yaml", 3, 5))


def test_slide_rows_and_caption():
    a, b = open_trace(str(H100)), open_trace(str(MI300))
    ka, kb = kernel_ns(H100), kernel_ns(MI300)
    slide = TraceDiffDirective().expand(spec(a="h100", b="mi300", labels={"a": "H100", "b": "MI300"}, kernels=4, caption="From TraceLens."),
                                        {"a": a, "b": b}, None)[0]
    table, caption = slide.blocks
    assert table.header == ("Name", "Row", "H100", "MI300", "MI300 - H100", "Change")
    assert table.rows[0][:2] == ("kernel time", "total") and [r[1] for r in table.rows].count("class") >= 1
    kernel_rows = [r for r in table.rows if r[1].startswith("kernel (")]
    biggest = sorted(ka.keys() | kb.keys(), key=lambda n: (-max(ka.get(n, 0), kb.get(n, 0)), n))[:4]
    assert len(kernel_rows) == 4 and len({r[0] for r in kernel_rows}) == 4  # distinct, even for hipBLASLt's Cijk tiles
    assert [r[5] for r in kernel_rows] == ["new" if n not in ka else "vanished" if n not in kb else r[5] for n, r in zip(biggest, kernel_rows)]
    text = caption.paragraphs[0].spans[0].text
    assert f"{len(kb.keys() - ka.keys())} kernels only in MI300, {len(ka.keys() - kb.keys())} only in H100" in text
    assert text.endswith("From TraceLens.") and H100.name in text
    with pytest.raises(SpecError, match="no trace source named 'nope'"):
        TraceDiffDirective().expand(spec(a="nope", b="mi300"), {"b": b}, None)


def test_distinct_names_tell_kernels_apart_that_a_middle_cut_merges():
    names = ["Cijk_Alik_Bljk_B_BS_BH_Bias_HA_S_SAV_UserArgs_MT256x128x64_MI16x16x1_SN_LDSB1_AFC1_AFEM1_GRB0",
             "Cijk_Alik_Bljk_B_BS_BH_Bias_HA_S_SAV_UserArgs_MT128x224x64_MI16x16x1_SN_LDSB1_AFC1_AFEM1_GRB0", "attn_fwd"]
    short = distinct_kernel_names(names, 44)
    assert len(set(short)) == 3 and "MT256x128" in short[0] and "MT128x224" in short[1] and short[2] == "attn_fwd"
    assert all(len(s) <= 44 for s in short)
