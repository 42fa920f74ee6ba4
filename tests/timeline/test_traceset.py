"""Trace sets: per-rank summaries of real multi-rank Kineto traces (HolisticTraceAnalysis's
sampled_rank-0/1), rank ids, skew, the CLI, the ``trace`` source and the ``rank_skew`` slide.
Expected values are computed here with json (the raw events, summed as written out below)."""

from __future__ import annotations

import gzip
import json
import shutil
import statistics

import jsonschema
import pytest
from referencing import Registry, Resource

from tfeic.cli import main
from tfeic.core.diagnostics import Pos, SourceError, SpecError
from tfeic.deck.model import SlideSpec
from tfeic.domains.timeline.directives.rank_skew import RankSkewDirective
from tfeic.domains.timeline.directives.timeline import TimelineDirective
from tfeic.domains.timeline import synthetic_trace
from tfeic.domains.timeline.traceset import open_set, summarise_set

from .conftest import FIXTURES

RANKS = FIXTURES / "hta_sampled_ranks"
SCHEMAS = FIXTURES.parents[2] / "schemas"


def raw(path) -> dict:
    with gzip.open(path, "rt") as f:
        return json.load(f)


def expected(path) -> dict:
    """What tfeic must report for one rank, from the raw JSON: kernels are ``X`` events of category
    ``kernel``; the span runs from the earliest to the latest end among kernels, memcpys and
    user annotations (the events tfeic reads); ``ProfilerStep#N`` annotations total into one stage."""
    trace = raw(path)
    ns = lambda us: int(round(float(us) * 1000))  # noqa: E731 - microseconds to integer ns, as written
    read = [e for e in trace["traceEvents"] if e.get("ph") == "X" and e.get("cat") in ("kernel", "gpu_memcpy", "user_annotation")]
    kernels = [e for e in read if e["cat"] == "kernel"]
    steps = [e for e in read if e["cat"] == "user_annotation" and e["name"].startswith("ProfilerStep#")]
    starts = [ns(e["ts"]) for e in read]
    ends = [ns(e["ts"]) + ns(e.get("dur", 0)) for e in read]
    return {"rank": trace["distributedInfo"]["rank"], "kernels": len(kernels), "kernel_ns": sum(ns(e["dur"]) for e in kernels),
            "span_ns": max(ends) - min(starts), "steps_ns": sum(ns(e["dur"]) for e in steps)}


def test_per_rank_summaries_match_the_raw_events():
    truth = [expected(RANKS / f"sampled_rank-{r}.json.gz") for r in (0, 1)]
    traces = open_set(str(RANKS))
    assert [r.rank for r in traces.ranks] == [0, 1] and {r.rank_from for r in traces.ranks} == {"content"}
    for r, t in zip(traces.ranks, truth):
        assert r.rank == t["rank"]
        assert (r.summary.kernel_count, r.summary.kernel_total_ns, r.summary.window.duration_ns) == (t["kernels"], t["kernel_ns"], t["span_ns"])
        assert next(s.total_ns for s in r.summary.stages if s.name == "ProfilerStep") == t["steps_ns"]


def test_skew_names_the_slowest_rank_and_its_excess_over_the_median():
    truth = [expected(RANKS / f"sampled_rank-{r}.json.gz") for r in (0, 1)]
    skew = {s.name: s for s in open_set(str(RANKS / "sampled_rank-*.json.gz")).skew()}
    for measure, key in (("kernel time", "kernel_ns"), ("trace span", "span_ns"), ("ProfilerStep", "steps_ns")):
        values = [t[key] for t in truth]
        slowest = max((0, 1), key=lambda r: values[r])
        median = statistics.median(values)  # two ranks: the mean of the two
        s = skew[measure]
        assert (s.slowest_rank, s.slowest_ns, s.fastest_rank, s.ranks) == (slowest, values[slowest], 1 - slowest, 2)
        assert s.median_ns == median and s.excess_ns == values[slowest] - median
        assert s.excess_ratio == pytest.approx(values[slowest] / median - 1)


def test_the_pool_gives_what_one_process_gives():
    files = [str(RANKS / f"sampled_rank-{r}.json.gz") for r in (0, 1)]
    assert summarise_set(files, workers=2) == summarise_set(files, workers=1)


def test_ranks_from_names_and_order_when_the_content_has_none(tmp_path):
    source = FIXTURES / "testcuda_report1.sqlite"  # nsys exports carry no rank
    for name in ("report.rank_5.sqlite", "node0-rank3.sqlite", "unnamed.sqlite"):
        shutil.copy(source, tmp_path / name)
    traces = open_set(str(tmp_path))
    got = [(r.rank, r.rank_from, r.path.rsplit("/", 1)[-1]) for r in traces.ranks]
    assert got == [(0, "order", "unnamed.sqlite"), (3, "name", "node0-rank3.sqlite"), (5, "name", "report.rank_5.sqlite")]


def test_two_files_of_one_rank_and_empty_sets_are_one_line_errors(tmp_path, capsys):
    for name in ("a_rank1.sqlite", "b_rank1.sqlite"):
        shutil.copy(FIXTURES / "testcuda_report1.sqlite", tmp_path / name)
    with pytest.raises(SourceError, match="are both rank 1"):
        open_set(str(tmp_path))
    assert main(["trace", "summary", str(tmp_path)]) == 3
    assert main(["trace", "summary", str(tmp_path / "nothing*.json")]) == 3
    (tmp_path / "empty").mkdir()
    assert main(["trace", "summary", str(tmp_path / "empty")]) == 3
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and "both rank 1" in err[0] and "no trace files in the pattern" in err[1] and "no trace files in the directory" in err[2]


def test_cli_prints_ranks_and_skew_and_json_follows_its_schema(capsys):
    truth = [expected(RANKS / f"sampled_rank-{r}.json.gz") for r in (0, 1)]
    assert main(["trace", "summary", str(RANKS)]) == 0
    text = capsys.readouterr().out
    assert "2 ranks" in text and "skew (slowest rank against the median)" in text and "sampled_rank-1.json.gz" in text
    files = [str(RANKS / f"sampled_rank-{r}.json.gz") for r in (1, 0)]  # as a shell expands a glob: several files
    assert main(["trace", "summary", *files, "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    registry = Registry().with_resources(
        (s["$id"], Resource.from_contents(s)) for s in (json.loads((SCHEMAS / n).read_text()) for n in ("trace-summary.schema.json", "trace-set.schema.json")))
    jsonschema.Draft202012Validator(json.loads((SCHEMAS / "trace-set.schema.json").read_text()), registry=registry).validate(doc)
    assert [r["summary"]["kernels"]["count"] for r in doc["ranks"]] == [t["kernels"] for t in truth]
    kernel_skew = next(s for s in doc["skew"] if s["name"] == "kernel time")
    assert kernel_skew["excess_ns"] == abs(truth[0]["kernel_ns"] - truth[1]["kernel_ns"]) / 2


def spec(kind: str, **options) -> SlideSpec:
    return SlideSpec(0, kind, options, Pos("deck.yaml", 3, 5))


def test_rank_skew_slide_and_the_errors_of_mixing_sets_and_single_traces():
    traces = open_set(str(RANKS))
    slide = RankSkewDirective().expand(spec("rank_skew", rows=4), {"source": traces}, None)[0]
    table = slide.blocks[0]
    assert [r[0] for r in table.rows] == ["trace span", "kernel time", "ProfilerStep", "## backward ##"]
    assert table.rows[1][1] == str(next(s.slowest_rank for s in traces.skew() if s.name == "kernel time"))
    assert "2 ranks (0, 1)" in slide.blocks[1].paragraphs[0].spans[0].text
    with pytest.raises(SpecError, match="is one trace; rank skew needs a set"):
        RankSkewDirective().expand(spec("rank_skew"), {"source": synthetic_trace()}, None)
    with pytest.raises(SpecError, match="is a set of per-rank traces"):
        TimelineDirective().expand(spec("timeline"), {"source": traces}, None)


def test_a_deck_builds_a_skew_slide_from_a_directory_and_its_dry_run_twin(tmp_path):
    deck = tmp_path / "ranks.yaml"
    deck.write_text(f"title: Ranks\nsources:\n  trace:\n    kind: trace\n    path: {RANKS}\nslides:\n  - kind: rank_skew\n")
    assert main(["build", str(deck), "-o", str(tmp_path / "real.pptx"), "-q"]) == 0
    assert main(["build", str(deck), "-o", str(tmp_path / "dry.pptx"), "-q", "--dry-run"]) == 0
    assert (tmp_path / "real.pptx").stat().st_size > 0 and (tmp_path / "dry.pptx").stat().st_size > 0


def test_a_set_of_more_files_than_the_cap_is_one_error(tmp_path, monkeypatch):
    """A directory holding more trace files than a set reads is refused before any is opened."""
    from tfeic.core.diagnostics import SourceError
    from tfeic.domains.timeline import traceset

    monkeypatch.setattr(traceset, "MAX_SET_FILES", 3)
    for i in range(4):
        (tmp_path / f"rank{i}.json").write_text("{}")
    with pytest.raises(SourceError) as caught:
        traceset.expand(str(tmp_path))
    [d] = caught.value.diagnostics
    assert d.message.startswith("4 trace files in ") and "more than the 3 a trace set reads" in d.message
