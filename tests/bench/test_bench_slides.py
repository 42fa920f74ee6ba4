"""The bench slides built from real tool outputs: read back with python-pptx, each figure checked
against arithmetic done here on the files themselves."""

from __future__ import annotations

import csv
import importlib.util
import json
import textwrap

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE

from tests.conftest import FIXTURES, REPO

BENCH = FIXTURES / "bench"
SOURCES = f"""\
aiperf:
  kind: bench
  label: gpt-oss
  origin: AIPerf example run
  path: ["{BENCH}/aiperf_run1_profile_export.jsonl", "{BENCH}/aiperf_run1_profile_export_aiperf.json"]
backends:
  kind: bench
  runs:
    engine: {BENCH}/trtllm_bench_0.17_llama3.1-8b_fp8_engine.txt
    pytorch: {BENCH}/trtllm_bench_0.17_llama3.1-8b_fp8_pytorch.txt
scale:
  kind: bench
  sweep:
    parameter: concurrency
    runs:
      - {{value: 500000, path: {BENCH}/aiperf_smoke_c500k_profile_export_aiperf.csv}}
      - {{value: 100000, path: {BENCH}/aiperf_smoke_c100k_profile_export_aiperf.csv}}
      - {{value: 250000, path: {BENCH}/aiperf_smoke_c250k_profile_export_aiperf.csv}}
serving:
  kind: bench
  origin: SGLang bench_serving against llama-server
  sweep:
    parameter: max concurrency
    unit: requests
    runs:
      - {{value: 8, path: {BENCH}/sglang_bench_serving_c8.jsonl}}
      - {{value: 1, path: {BENCH}/sglang_bench_serving_c1.jsonl}}
      - {{value: 2, path: {BENCH}/sglang_bench_serving_c2.jsonl}}
      - {{value: 4, path: {BENCH}/sglang_bench_serving_c4.jsonl}}
kernels:
  kind: bench
  path: {BENCH}/nsys_testcuda_cuda_api_sum.csv
"""
SLIDES = """\
- {kind: bench_cdf, source: aiperf, metric: ttft, title: cdf}
- {kind: bench_percentiles, source: aiperf, metrics: [ttft, e2e], title: pct}
- {kind: bench_compare, source: backends, title: cmp,
   figures: [{metric: output_throughput, stat: mean}, {metric: duration, stat: mean}]}
- {kind: bench_sweep, source: scale, y: {metric: ttft, stat: p99}, title: sweep}
- {kind: bench_sweep, source: scale, x: {metric: output_throughput, stat: mean}, y: {metric: e2e, stat: p50}, title: curve}
- {kind: bench_profile, source: kernels, top: 3, title: api}
- {kind: bench_sweep, source: serving, y: [{metric: ttft, stat: p50}, {metric: ttft, stat: p99}], title: sglang sweep}
- {kind: bench_cdf, source: aiperf, metric: itl, title: many gaps}
- {kind: bench_cdf, source: serving, metric: itl, runs: [max concurrency 1 requests, max concurrency 8 requests], title: two cdfs}
"""


def _deck(tmp_path, slides: str, sources: str = SOURCES):
    deck = tmp_path / "deck.yaml"
    deck.write_text("title: t\ndate: '2026-11-26'\nsources:\n" + textwrap.indent(sources, "  ")
                    + "slides:\n" + textwrap.indent(textwrap.dedent(slides), "  "))
    return deck


@pytest.fixture(scope="module")
def slides(tmp_path_factory):
    from tests.conftest import run_cli

    tmp = tmp_path_factory.mktemp("bench")
    out = tmp / "bench.pptx"
    result = run_cli("build", str(_deck(tmp, SLIDES)), "-o", str(out), "--no-cache")
    assert result.code == 0, result.err
    by_title = {next(s.text_frame.text for s in slide.shapes if s.name == "title"): slide
                for slide in Presentation(str(out)).slides}
    by_title["_bytes"] = out.read_bytes()
    return by_title


def test_the_package_is_schema_valid(slides):
    """The XY line chart and the tables validate against the ISO/IEC 29500 schemas the render tests use."""
    spec = importlib.util.spec_from_file_location("ooxml_validator", REPO / "tests" / "render" / "ooxml_validator.py")
    validator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(validator)
    assert validator.schema_errors(slides["_bytes"]) == []


def _chart(slide):
    return next(s.chart for s in slide.shapes if s.has_chart)


def _table(slide):
    table = next(s.table for s in slide.shapes if s.has_table)
    return [[cell.text for cell in row.cells] for row in table.rows]


def _texts(slide):
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def _ttfts():
    lines = [json.loads(line) for line in (BENCH / "aiperf_run1_profile_export.jsonl").read_text().splitlines()]
    return sorted(line["metrics"]["ttft"]["value"] for line in lines if not line.get("error"))


def test_cdf_plots_every_request_sorted_with_its_share(slides):
    chart = _chart(slides["cdf"])
    assert chart.chart_type == XL_CHART_TYPE.XY_SCATTER_LINES_NO_MARKERS
    series = chart.plots[0].series[0]
    ttfts = _ttfts()
    xs = [float(v) for v in series._element.xpath("./c:xVal//c:v/text()")]
    assert xs == pytest.approx(ttfts)
    assert series.values == pytest.approx([(i + 1) / 89 for i in range(89)])
    assert chart.category_axis.axis_title.text_frame.text == "TTFT (ms)"
    assert (chart.value_axis.minimum_scale, chart.value_axis.maximum_scale) == (0, 1)  # shares: 0% to 100%
    caption = _texts(slides["cdf"])
    assert "AIPerf, aiperf_run1_profile_export.jsonl + aiperf_run1_profile_export_aiperf.json" in caption
    assert "(AIPerf example run)" in caption and "89 samples" in caption


def test_percentile_table_from_records(slides):
    rows = _table(slides["pct"])
    assert rows[0] == ["metric", "p50", "p90", "p95", "p99", "from"]
    s = _ttfts()
    p99 = s[87] + (88 * 0.99 - 87) * (s[88] - s[87])  # rank 87.12
    p50 = s[44]  # rank 44
    assert rows[1][0] == "TTFT (ms)" and rows[1][5] == "89 records"
    assert rows[1][1] == f"{p50:,.1f}" and rows[1][4] == f"{p99:,.1f}"
    assert rows[2][0] == "request latency (ms)"
    assert "computed from per-request records (linear interpolation" in _texts(slides["pct"])


def test_comparison_states_ratio_and_which_is_better(slides):
    rows = _table(slides["cmp"])
    assert rows[0] == ["figure", "engine", "pytorch", "engine / pytorch", "better"]
    throughput, duration = rows[1], rows[2]
    assert throughput[1:4] == ["28,390.4", "20,685.6", f"{28390.4265 / 20685.5510:.2f}x"]
    assert throughput[4] == "engine (higher is better)"
    assert duration[3] == f"{13525.6862 / 18563.6825:.2f}x" and duration[4] == "engine (lower is better)"
    assert "taken from the tool's own summary" in _texts(slides["cmp"])


def _ttft_p99(name: str) -> float:
    rows = list(csv.reader((BENCH / name).read_text().splitlines()))
    row = next(r for r in rows if r and r[0] == "Time to First Token (ms)")
    return float(row[rows[0].index("p99")])


def test_sweep_has_a_numeric_x_axis_in_order(slides):
    chart = _chart(slides["sweep"])
    assert chart.chart_type == XL_CHART_TYPE.XY_SCATTER_LINES
    series = chart.plots[0].series[0]
    xs = [float(v) for v in series._element.xpath("./c:xVal//c:v/text()")]
    assert xs == [100000.0, 250000.0, 500000.0]  # sorted, spaced as numbers
    assert series.values == tuple(_ttft_p99(f"aiperf_smoke_c{k}k_profile_export_aiperf.csv") for k in (100, 250, 500))
    assert chart.category_axis.axis_title.text_frame.text == "concurrency"
    assert chart.value_axis.axis_title.text_frame.text == "TTFT p99 (ms)"


def test_throughput_latency_curve(slides):
    chart = _chart(slides["curve"])
    xs = [float(v) for v in chart.plots[0].series[0]._element.xpath("./c:xVal//c:v/text()")]
    assert xs == sorted([343421.90, 332808.33, 625547.61])
    assert chart.category_axis.axis_title.text_frame.text == "output token throughput mean (tokens/sec)"


def test_profile_table_top_rows(slides):
    rows = _table(slides["api"])
    assert rows[0][:4] == ["CUDA API call", "time (%)", "total (ms)", "calls"]
    assert [r[0] for r in rows[1:]] == ["cudaHostAlloc", "cudaFreeHost", "cudaEventSynchronize"]
    assert rows[1][2] == f"{701940381 / 1e6:,.3f}"
    assert "top 3 of 13 rows" in _texts(slides["api"])


def test_a_cdf_of_a_tool_without_records_is_exit_3(cli, tmp_path):
    deck = _deck(tmp_path, "- {kind: bench_cdf, source: backends}\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 3
    assert "run 'engine'" in result.err and "has no per-request records of 'ttft'" in result.err
    assert "trtllm-bench wrote no per-request records" in result.err


def test_two_units_on_one_axis_are_refused(cli, tmp_path):
    deck = _deck(tmp_path, "- {kind: bench_sweep, source: scale, y: [{metric: ttft}, {metric: input_tokens}]}\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 2
    assert "mix units (ms, tokens): one axis holds one unit" in result.err


def test_an_unrecognised_file_is_exit_3_naming_it(cli, tmp_path):
    (tmp_path / "t.csv").write_text("a,b\n1,2\n")
    deck = _deck(tmp_path, "- {kind: bench_percentiles, source: x}\n", "x: {kind: bench, path: t.csv}\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 3
    assert "t.csv: error: not a benchmark output tfeic recognises" in result.err
    assert not (tmp_path / "x.pptx").exists()


def _sglang_ttft_ms(c: int) -> list[float]:
    raw = json.loads((BENCH / f"sglang_bench_serving_c{c}.jsonl").read_text())
    return sorted(t * 1000 for t, e in zip(raw["ttfts"], raw["errors"]) if e == "")


def test_sweep_of_records_computes_each_point(slides):
    chart = _chart(slides["sglang sweep"])
    p50, p99 = chart.plots[0].series
    assert [float(v) for v in p99._element.xpath("./c:xVal//c:v/text()")] == [1.0, 2.0, 4.0, 8.0]
    expected = []
    for c in (1, 2, 4, 8):
        s = _sglang_ttft_ms(c)
        rank = (len(s) - 1) * 0.99
        expected.append(s[int(rank)] + (rank - int(rank)) * (s[int(rank) + 1] - s[int(rank)]))
    assert p99.values == pytest.approx(expected, rel=1e-12)
    assert p50.values == pytest.approx([(s[19] + s[20]) / 2 for s in map(_sglang_ttft_ms, (1, 2, 4, 8))])  # n = 40
    assert (p50.name, p99.name) == ("TTFT p50", "TTFT p99")
    assert chart.value_axis.axis_title.text_frame.text == "(ms)"
    assert chart.category_axis.axis_title.text_frame.text == "max concurrency (requests)"
    assert "computed from per-request records" in _texts(slides["sglang sweep"])


def test_cdf_of_two_runs_has_a_line_and_legend_entry_each(slides):
    chart = _chart(slides["two cdfs"])
    names = [s.name for s in chart.plots[0].series]
    assert names == ["max concurrency 1 requests", "max concurrency 8 requests"]
    assert chart.has_legend
    raw = json.loads((BENCH / "sglang_bench_serving_c1.jsonl").read_text())
    gaps = sorted(g * 1000 for gs, e in zip(raw["itls"], raw["errors"]) if e == "" for g in gs)
    xs = [float(v) for v in chart.plots[0].series[0]._element.xpath("./c:xVal//c:v/text()")]
    assert len(gaps) == 725 and xs == pytest.approx(gaps)  # under 1000 samples: every one


def test_a_cdf_of_many_samples_is_drawn_at_1001_quantiles(slides):
    lines = [json.loads(line) for line in (BENCH / "aiperf_run1_profile_export.jsonl").read_text().splitlines()]
    gaps = sorted(g for line in lines if not line.get("error")
                  for g in line["metrics"].get("inter_chunk_latency", {}).get("value", []))
    assert len(gaps) == 21537
    series = _chart(slides["many gaps"]).plots[0].series[0]
    xs = [float(v) for v in series._element.xpath("./c:xVal//c:v/text()")]
    assert len(xs) == 1001 and series.values[500] == 0.5
    assert (xs[0], xs[-1]) == (gaps[0], gaps[-1])
    assert xs[500] == pytest.approx(gaps[10768])  # rank 21536 * 0.5 = 10768 exactly
    rank = 21536 * 0.9
    assert xs[900] == pytest.approx(gaps[int(rank)] + (rank - int(rank)) * (gaps[int(rank) + 1] - gaps[int(rank)]))
    assert "Drawn at 1001 quantiles" in _texts(slides["many gaps"])


def test_a_missing_run_file_is_exit_3_at_its_yaml_position(cli, tmp_path):
    deck = _deck(tmp_path, "- {kind: bench_percentiles, source: x}\n",
                 "x:\n  kind: bench\n  runs:\n    A: nowhere.json\n")
    result = cli("build", str(deck), "-o", str(tmp_path / "x.pptx"), "--no-cache")
    assert result.code == 3
    # line 7 of the deck (title, date, sources:, x:, kind:, runs:, A:), column 10: the value
    assert f"{deck}:7:10: error: sources.x.runs.A: nowhere.json: no such file or directory" in result.err
