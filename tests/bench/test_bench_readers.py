"""Each real benchmark output is recognised from its content and read into the figures the tool
wrote; percentiles computed from records are checked against a sorted list and index arithmetic
written out here, and against the tool's own summary of the same run."""

from __future__ import annotations

import csv
import json
import math
import shutil

import pytest

from tests.conftest import FIXTURES
from tfeic.domains.bench import BenchError, parse_run, percentile, read_run

BENCH = FIXTURES / "bench"
JSONL = BENCH / "aiperf_run1_profile_export.jsonl"
SUMMARY = BENCH / "aiperf_run1_profile_export_aiperf.json"


def _linear(values: list[float], q: float) -> float:
    """numpy's default percentile, by hand: rank (n - 1) * q / 100 between the two closest samples."""
    s = sorted(values)
    rank = (len(s) - 1) * q / 100
    below = int(rank)
    above = below + 1 if below + 1 < len(s) else below
    return s[below] + (rank - below) * (s[above] - s[below])


def _successful_lines() -> list[dict]:
    lines = [json.loads(line) for line in JSONL.read_text().splitlines() if line.strip()]
    return [line for line in lines if not line.get("error")]


def test_percentile_is_linear_between_closest_ranks():
    values = [15.0, 1.0, 7.0, 3.0]  # sorted: 1, 3, 7, 15
    assert percentile(values, 0) == 1.0
    assert percentile(values, 100) == 15.0
    assert percentile(values, 50) == 3.0 + 0.5 * (7.0 - 3.0)  # rank 1.5
    assert percentile(values, 90) == pytest.approx(7.0 + 0.7 * (15.0 - 7.0))  # rank 2.7
    assert percentile([42.0], 99) == 42.0


def test_aiperf_records_give_every_successful_request_and_its_percentiles():
    run = read_run([str(JSONL)])
    ok = _successful_lines()
    assert len(ok) == 89  # 100 requests, 11 cancelled
    ttfts = [line["metrics"]["ttft"]["value"] for line in ok]
    assert run.tool == "AIPerf"
    assert run.records["ttft"] == tuple(ttfts)
    assert run.units["ttft"] == "ms"
    s = sorted(ttfts)
    for q in (50, 90, 95, 99):
        rank = 88 * q / 100  # n - 1 = 88
        i = math.floor(rank)
        expected = s[i] + (rank - i) * (s[i + 1] - s[i])
        figure = run.figure("ttft", f"p{q}")
        assert figure.value == pytest.approx(expected, rel=1e-12)
        assert figure.count == 89
    assert run.figure("ttft", "median").value == pytest.approx(s[44])  # rank 44.0 exactly
    starts = [line["metadata"]["timestamp_ns"] for line in ok]
    assert run.records["start_ns"] == tuple(float(t) for t in starts)
    gaps = [g for line in ok for g in line["metrics"].get("inter_chunk_latency", {}).get("value", [])]
    assert run.records["itl"] == tuple(gaps)  # every chunk gap of every request, flattened
    assert run.summary["error_count"]["avg"] == 11


def test_percentiles_from_records_equal_aiperfs_own_summary_of_the_run():
    run = read_run([str(JSONL)])
    own = json.loads(SUMMARY.read_text())["records"]
    for tag, metric in (("ttft", "ttft"), ("request_latency", "e2e"), ("inter_token_latency", "tpot"),
                        ("inter_chunk_latency", "itl")):
        for stat in ("p50", "p90", "p99"):
            assert run.figure(metric, stat).value == pytest.approx(own[tag][stat], rel=1e-9), (tag, stat)
        assert run.figure(metric, "std").value == pytest.approx(own[tag]["std"], rel=1e-9)  # population std


def test_aiperf_summary_json_alone_answers_from_the_tools_figures():
    run = read_run([str(SUMMARY)])
    own = json.loads(SUMMARY.read_text())
    figure = run.figure("ttft", "p99")
    assert (figure.value, figure.count, figure.unit) == (own["records"]["ttft"]["p99"], 0, "ms")
    assert "the tool's summary" in figure.origin
    assert run.figure("request_throughput", "mean").value == own["records"]["request_throughput"]["avg"]
    assert run.info["model"] == "openai/gpt-oss-20b"
    with pytest.raises(BenchError, match="no per-request records of 'ttft' and its summary has no p99.9"):
        run.figure("ttft", "p99.9")


def test_records_and_summary_of_one_run_merge():
    run = read_run([str(JSONL), str(SUMMARY)])
    assert run.files == (str(JSONL), str(SUMMARY))
    assert run.figure("ttft", "p99").count == 89  # records win over the summary
    assert run.figure("output_throughput", "avg").count == 0  # only the summary has it


@pytest.mark.parametrize("name", ["aiperf_run1_profile_export_aiperf.csv", "aiperf_smoke_c250k_profile_export_aiperf.csv"])
def test_aiperf_csv_summary(name):
    text = (BENCH / name).read_text()
    run = parse_run(text, name)
    rows = list(csv.reader(text.splitlines()))
    header = rows[0]
    ttft = next(r for r in rows if r and r[0] == "Time to First Token (ms)")
    assert run.figure("ttft", "p99").value == float(ttft[header.index("p99")])
    assert run.figure("ttft", "mean").value == float(ttft[header.index("avg")])
    assert run.units["ttft"] == "ms"
    throughput = next(r for r in rows if r and r[0] == "Request Throughput (requests/sec)")
    assert run.figure("request_throughput", "avg").value == float(throughput[1])
    assert run.units["request_throughput"] == "requests/sec"


def test_trtllm_bench_reports_of_both_backends():
    engine = read_run([str(BENCH / "trtllm_bench_0.17_llama3.1-8b_fp8_engine.txt")])
    torch = read_run([str(BENCH / "trtllm_bench_0.17_llama3.1-8b_fp8_pytorch.txt")])
    assert engine.tool == torch.tool == "trtllm-bench"
    assert engine.figure("output_throughput", "mean").value == 28390.4265
    assert torch.figure("output_throughput", "mean").value == 20685.5510
    assert engine.figure("duration", "mean").value == 13525.6862
    assert engine.units["output_throughput"] == "tokens/sec"
    assert engine.info["TensorRT-LLM Version"] == "0.17.0"
    assert torch.info["KV Cache Dtype"] == "None"
    # the report's own arithmetic: 3000 requests x 128 output tokens over the total latency
    assert engine.figure("output_throughput", "avg").value == pytest.approx(3000 * 128 / 13.5256862, rel=1e-6)
    assert "[01/18/2025-01" not in " ".join(engine.info)  # log lines around the report are not figures
    assert not engine.records  # trtllm-bench writes no per-request records


def test_trtllm_bench_latency_breakdown_and_tab_separated_keys():
    text = (BENCH / "trtllm_bench_qwen2-vl-2b_pytorch_latency.txt").read_text()
    spaced = parse_run(text, "spaced")
    # trtllm-bench itself separates key and value with tabs (reporting.py); the docs show spaces
    tabbed = parse_run("\n".join(line.replace(":  ", ":\t\t") for line in text.splitlines()), "tabbed")
    for run in (spaced, tabbed):
        assert run.figure("e2e", "p50").value == 3936.3022
        assert run.figure("e2e", "p99").value == 5514.4701
        assert run.figure("e2e", "min").value == 2397.1047
        assert run.figure("input_tokens", "p50").value == 299.0
        assert run.figure("output_tokens", "max").value == 137.0
        assert run.figure("request_throughput", "avg").value == 1.4439


def test_nsys_stats_reports():
    kern = read_run([str(BENCH / "nsys_testcuda_cuda_gpu_kern_sum.csv")])
    assert (kern.tool, kern.report) == ("nsys stats", "cuda_gpu_kern_sum")
    (row,) = kern.profile
    assert row.name == "add_parallel(const float *, const float *, float *, int)"
    assert (row.total_ns, row.count, row.med_ns) == (536542.0, 4, 134231.5)
    api = read_run([str(BENCH / "nsys_testcuda_cuda_api_sum.csv")])
    lines = list(csv.reader((BENCH / "nsys_testcuda_cuda_api_sum.csv").read_text().splitlines()))[1:]
    assert api.report == "cuda_api_sum"
    assert [r.name for r in api.profile] == [line[8] for line in lines]
    assert sum(r.count for r in api.profile) == sum(int(line[2]) for line in lines)
    mem = read_run([str(BENCH / "nsys_testcuda_cuda_gpu_mem_time_sum.csv")])
    assert mem.report == "cuda_gpu_mem_time_sum"
    assert [(r.name, r.count) for r in mem.profile] == [("[CUDA memcpy Host-to-Device]", 8),
                                                        ("[CUDA memcpy Device-to-Host]", 4)]


def test_nsys_stats_in_microseconds_and_with_terminal_preamble():
    text = (BENCH / "nsys_testcuda_cuda_gpu_kern_sum.csv").read_text()
    header, row = text.splitlines()[:2]
    cells = next(csv.reader([row]))
    in_us = [cells[0], str(float(cells[1]) / 1e3), cells[2]] + [str(float(c) / 1e3) for c in cells[3:8]] + [cells[8]]
    us_text = ("Processing [report.sqlite] with [cuda_gpu_kern_sum.py]...\n\n" + header.replace("(ns)", "(us)")
               + "\n" + ",".join(f'"{c}"' if "," in c else c for c in in_us) + "\n")
    run = parse_run(us_text, "us.csv")
    assert run.profile[0].total_ns == pytest.approx(536542.0)
    assert run.profile[0].avg_ns == pytest.approx(134135.5)


def test_recognised_from_content_not_name(tmp_path):
    renamed = tmp_path / "results.txt"
    shutil.copy(BENCH / "aiperf_run1_profile_export_aiperf.json", renamed)
    assert read_run([str(renamed)]).tool == "AIPerf"
    other = tmp_path / "profile_export_aiperf.csv"
    other.write_text("engine,ttft_ms\nA,12\n")
    with pytest.raises(BenchError) as e:
        read_run([str(other)])
    assert e.value.message == "not a benchmark output tfeic recognises"
    assert "trtllm-bench report" in (e.value.hint or "")


def test_a_broken_record_line_is_named(tmp_path):
    lines = JSONL.read_text().splitlines()
    lines[5] = lines[5][:40]
    broken = tmp_path / "records.jsonl"
    broken.write_text("\n".join(lines) + "\n")
    with pytest.raises(BenchError) as e:
        read_run([str(broken)])
    assert (e.value.line, e.value.message.startswith("line is not a JSON record")) == (6, True)


def test_files_of_different_tools_are_not_one_run():
    with pytest.raises(BenchError, match="one run's files come from one tool"):
        read_run([str(SUMMARY), str(BENCH / "trtllm_bench_0.17_llama3.1-8b_fp8_engine.txt")])


@pytest.mark.parametrize("c", [1, 2, 4, 8])
def test_sglang_bench_serving_details_and_its_own_summary(c):
    path = BENCH / f"sglang_bench_serving_c{c}.jsonl"
    raw = json.loads(path.read_text())
    run = read_run([str(path)])
    assert run.tool == "SGLang bench_serving"
    ok = [i for i, e in enumerate(raw["errors"]) if e == ""]
    ttfts_ms = sorted(raw["ttfts"][i] * 1000 for i in ok)  # the file holds seconds
    n = len(ttfts_ms)
    rank = (n - 1) * 0.99
    i = math.floor(rank)
    p99 = ttfts_ms[i] + (rank - i) * (ttfts_ms[i + 1] - ttfts_ms[i])
    assert run.figure("ttft", "p99").value == pytest.approx(p99, rel=1e-12)
    assert run.figure("ttft", "p99").count == n == raw["completed"]
    # SGLang's own summary of the same requests (np.percentile, np.median, np.std over seconds, x 1000)
    assert run.figure("ttft", "p99").value == pytest.approx(raw["p99_ttft_ms"], rel=1e-9)
    assert run.figure("ttft", "median").value == pytest.approx(raw["median_ttft_ms"], rel=1e-9)
    assert run.figure("ttft", "std").value == pytest.approx(raw["std_ttft_ms"], rel=1e-9)
    gaps = [g for i in ok for g in raw["itls"][i]]
    assert len(run.records["itl"]) == len(gaps)
    assert run.figure("itl", "p95").value == pytest.approx(raw["p95_itl_ms"], rel=1e-9)
    # what only the summary has comes from the summary
    e2e = run.figure("e2e", "p99")
    assert (e2e.value, e2e.count) == (raw["p99_e2e_latency_ms"], 0)
    assert run.info["max_concurrency"] == str(c)


def test_a_sglang_file_of_several_runs_is_refused(tmp_path):
    line = (BENCH / "sglang_bench_serving_c1.jsonl").read_text().strip()
    both = tmp_path / "appended.jsonl"
    both.write_text(line + "\n" + line + "\n")
    with pytest.raises(BenchError) as e:
        read_run([str(both)])
    assert (e.value.message, e.value.line) == ("holds 2 runs (one per line)", 2)
