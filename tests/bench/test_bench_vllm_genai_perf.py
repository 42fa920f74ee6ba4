"""vLLM's serving-benchmark result JSON and GenAI-Perf's summary CSV, read from real published
outputs: percentiles computed from vLLM's per-request arrays with the index arithmetic written out
here, and checked against vLLM's own summary of the same run; the CDF slide drawn from them."""

from __future__ import annotations

import csv
import gzip
import json
import math
import textwrap

import pytest
from pptx import Presentation

from tests.conftest import FIXTURES, run_cli
from tfeic.domains.bench import BenchError, parse_run, read_run

BENCH = FIXTURES / "bench"
VLLM = BENCH / "vllm_benchmark_serving_llama3.3-70b_tp8_qps_inf.json.gz"
GENAI_PERF = BENCH / "genai_perf_cloudai_ai_dynamo_profile_export_genai_perf.csv"
#: what ``main_async`` of vllm/benchmarks/serve.py deletes from the result without --save-detailed
DETAILED = ("input_lens", "output_lens", "start_times", "ttfts", "itls", "generated_texts", "errors")


def _raw() -> dict:
    with gzip.open(VLLM, "rt", encoding="utf-8") as f:
        return json.load(f)


def _interpolated(ordered: list[float], rank: float) -> float:
    i = math.floor(rank)
    return ordered[i] + (rank - i) * (ordered[i + 1] - ordered[i])


def test_vllm_result_gives_every_request_and_vllms_own_percentiles():
    raw = _raw()
    run = read_run([str(VLLM)])
    assert run.tool == "vLLM bench serve"
    assert raw["errors"] == [""] * 200 and raw["completed"] == 200  # every request succeeded
    ttfts_ms = sorted(t * 1000 for t in raw["ttfts"])  # the file holds seconds
    assert sorted(run.records["ttft"]) == pytest.approx(ttfts_ms, rel=1e-15)
    p99 = _interpolated(ttfts_ms, 199 * 0.99)  # rank 197.01 of 0..199
    p50 = (ttfts_ms[99] + ttfts_ms[100]) / 2  # rank 99.5
    figure = run.figure("ttft", "p99")
    assert (figure.count, figure.unit) == (200, "ms")
    assert figure.value == pytest.approx(p99, rel=1e-12)
    assert run.figure("ttft", "median").value == pytest.approx(p50, rel=1e-12)
    # vLLM's summary of the same requests (np.percentile / np.median / np.std over seconds, x 1000)
    assert figure.value == pytest.approx(raw["p99_ttft_ms"], rel=1e-9)
    assert p50 == pytest.approx(raw["median_ttft_ms"], rel=1e-9)
    mean = sum(ttfts_ms) / 200
    std = math.sqrt(sum((t - mean) ** 2 for t in ttfts_ms) / 200)  # population std, as np.std
    assert run.figure("ttft", "std").value == pytest.approx(std, rel=1e-9)
    assert std == pytest.approx(raw["std_ttft_ms"], rel=1e-9)


def test_vllm_itl_is_every_gap_of_every_request():
    raw = _raw()
    run = read_run([str(VLLM)])
    gaps = sorted(g * 1000 for gaps in raw["itls"] for g in gaps)
    n = len(gaps)
    assert n == raw["total_output_tokens"] - 200  # a gap between each two tokens of a request
    assert len(run.records["itl"]) == n == 42198
    p99 = _interpolated(gaps, (n - 1) * 0.99)
    assert run.figure("itl", "p99").value == pytest.approx(p99, rel=1e-12)
    assert p99 == pytest.approx(raw["p99_itl_ms"], rel=1e-9)
    assert run.figure("itl", "mean").value == pytest.approx(raw["mean_itl_ms"], rel=1e-9)


def test_vllm_totals_and_what_only_the_summary_has():
    raw = _raw()
    run = read_run([str(VLLM)])
    tpot = run.figure("tpot", "p99")  # vLLM writes no per-request TPOT: the summary's figure
    assert (tpot.value, tpot.count) == (raw["p99_tpot_ms"], 0)
    assert run.figure("request_throughput", "avg").value == raw["request_throughput"]
    assert raw["request_throughput"] == pytest.approx(200 / raw["duration"], rel=1e-12)
    assert run.figure("output_throughput", "avg").value == raw["output_throughput"]
    assert raw["output_throughput"] == pytest.approx(raw["total_output_tokens"] / raw["duration"], rel=1e-12)
    assert run.units["duration"] == "s" and run.figure("duration", "avg").value == raw["duration"]
    assert sum(run.records["input_tokens"]) == raw["total_input_tokens"] == 42659
    assert run.info["model_id"] == "meta-llama/Llama-3.3-70B-Instruct" and run.info["request_rate"] == "inf"
    assert "max_concurrency" not in run.info  # null in the file: no concurrency limit
    with pytest.raises(BenchError, match="has no 'e2e'"):  # benchmark_serving.py summarised ttft,tpot,itl only
        run.figure("e2e", "p99")


def test_vllm_result_without_per_request_detail_answers_from_its_summary(tmp_path):
    """``vllm bench serve --save-result`` without ``--save-detailed`` deletes the per-request lists."""
    raw = _raw()
    for key in DETAILED:
        raw.pop(key, None)
    summary_only = tmp_path / "result.json"
    summary_only.write_text(json.dumps(raw))
    run = read_run([str(summary_only)])
    assert not run.records
    figure = run.figure("ttft", "p99")
    assert (figure.value, figure.count, run.tool) == (raw["p99_ttft_ms"], 0, "vLLM bench serve")
    with pytest.raises(BenchError, match="summary has no p95"):
        run.figure("ttft", "p95")  # default --metric-percentiles is 99


def test_an_appended_vllm_file_is_refused(tmp_path):
    line = json.dumps({key: value for key, value in _raw().items() if key not in DETAILED})
    appended = tmp_path / "appended.json"
    appended.write_text(line + "\n" + line + "\n")  # --append-result writes a line per run
    with pytest.raises(BenchError) as e:
        read_run([str(appended)])
    assert (e.value.message, e.value.line) == ("holds 2 runs (one per line)", 2)
    assert "vLLM bench serve appends" in (e.value.hint or "")


@pytest.mark.parametrize("key, index, value, message", [
    ("ttfts", 7, "fast", r"ttfts\[7\] is 'fast', not a finite number"),
    ("itls", 3, 0.02, r"itls\[3\] is 0.02, not a list of gaps"),
    ("itls", 3, [0.02, None], r"itls\[3\] is None, not a finite number"),
])
def test_a_broken_vllm_value_is_named(tmp_path, key, index, value, message):
    raw = _raw()
    raw[key][index] = value
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(raw))
    with pytest.raises(BenchError, match=message):
        read_run([str(broken)])


def test_genai_perf_csv_with_grouped_thousands():
    rows = list(csv.reader(GENAI_PERF.read_text().splitlines()))
    run = read_run([str(GENAI_PERF)])
    assert run.tool == "GenAI-Perf"
    header, ttft = rows[0], rows[1]
    assert ttft[0] == "Time To First Token (ms)" and ttft[header.index("avg")] == "1,146.31"
    assert run.figure("ttft", "mean").value == 1146.31  # 1,146.31: a thousands separator, not a decimal comma
    assert run.figure("ttft", "p99").value == 3457.97
    assert run.figure("ttft", "median").value == 640.07
    assert run.figure("e2e", "max").value == 9608.72
    assert run.figure("tpot", "p90").value == 32.53  # GenAI-Perf's inter token latency is per-request TPOT
    assert run.figure("input_tokens", "avg").value == 3000.05
    assert run.figure("request_throughput", "avg").value == 1.5
    assert run.figure("request_count", "avg").value == 40
    assert run.units == {"ttft": "ms", "ttst": "ms", "e2e": "ms", "tpot": "ms", "input_tokens": "tokens",
                         "output_tokens": "tokens", "output_throughput": "tokens/sec",
                         "request_throughput": "requests/sec", "request_count": "requests"}
    assert run.figure("ttft", "p25").count == 0  # a summary: no records


def test_genai_perf_and_aiperf_csvs_are_told_apart():
    aiperf = parse_run((BENCH / "aiperf_run1_profile_export_aiperf.csv").read_text(), "a.csv")
    assert aiperf.tool == "AIPerf"
    with pytest.raises(BenchError, match="'1,146.31' in column avg is not a number"):
        # AIPerf's exporter groups no thousands: such a cell under AIPerf's header is refused
        header = (BENCH / "aiperf_run1_profile_export_aiperf.csv").read_text().splitlines()[0]
        row = 'Time to First Token (ms),"1,146.31"' + ",1" * (header.count(",") - 1)
        parse_run(header + "\n" + row + "\n", "b.csv")


def test_cdf_slide_from_vllm_records(tmp_path):
    deck = tmp_path / "deck.yaml"
    deck.write_text(textwrap.dedent(f"""\
        title: t
        date: '2026-11-26'
        sources:
          vllm: {{kind: bench, label: Llama-3.3-70B TP8, path: {VLLM}}}
        slides:
          - {{kind: bench_cdf, source: vllm, metric: ttft, title: cdf}}
          - {{kind: bench_cdf, source: vllm, metric: e2e, title: none}}
        """))
    bad = run_cli("build", str(deck), "-o", str(tmp_path / "bad.pptx"), "--no-cache")
    assert bad.code == 3 and "has no per-request records of 'e2e'" in bad.err  # vLLM wrote no latencies
    assert "records it has: input_tokens, itl, output_tokens, ttft" in bad.err
    lines = deck.read_text().splitlines()
    deck.write_text("\n".join(lines[:-1]) + "\n")
    out = tmp_path / "out.pptx"
    result = run_cli("build", str(deck), "-o", str(out), "--no-cache")
    assert result.code == 0, result.err
    (slide,) = [s for s in Presentation(str(out)).slides
                if any(shape.name == "title" and shape.text_frame.text == "cdf" for shape in s.shapes)]
    chart = next(s.chart for s in slide.shapes if s.has_chart)
    series = chart.plots[0].series[0]
    xs = [float(v) for v in series._element.xpath("./c:xVal//c:v/text()")]
    assert xs == pytest.approx(sorted(t * 1000 for t in _raw()["ttfts"]), rel=1e-9)
    assert series.values == pytest.approx([(i + 1) / 200 for i in range(200)])
    caption = " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
    assert "vLLM bench serve" in caption and "200 samples" in caption
