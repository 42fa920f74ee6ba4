"""TensorRT-LLM logs at any level (issue 15, item 1): real INFO logs and trtllm-bench reports are read,
what they lack is absent (and a slide that needs it fails naming the line and its level). Every
expected number is either copied from the fixture's text or recomputed here from other lines."""

from pathlib import Path

import pytest
import yaml

from tfeic.cli.exit_codes import ExitCode, exit_code
from tfeic.core.diagnostics import MissingData, SourceError
from tfeic.domains.trtllm.log import parse_log
from tfeic.domains.trtllm.log_prefix import split_prefix

LOGS = Path(__file__).resolve().parents[1] / "fixtures" / "trtllm_logs"
METRICS = Path(__file__).resolve().parents[1] / "fixtures" / "metrics"
GIB = 2 ** 30


def read(name: str, folder: Path = LOGS):
    return parse_log(name, (folder / name).read_text())


def test_0_13_info_log_pool_and_memory_budget():
    log = read("issue2268_qwen_engine_0.13.log")
    assert log.levels == ("INFO",) and log.primary_blocks == 631
    assert log.kv_memory_available_gib == 21.89
    with pytest.raises(MissingData) as e:
        log.summary
    d = e.value.diagnostics[0]
    assert "BlockManager[windowSize=N] - total allocated blocks: N" in d.message
    assert "DEBUG" in d.hint and "this log has INFO lines" in d.hint
    with pytest.raises(MissingData, match="secondary KV pool size"):
        log.secondary_blocks
    assert exit_code(e.value) == ExitCode.DATA


def test_1x_window_line_agrees_with_the_allocation_line():
    log = read("tutorials_pr150_triton_pytorch.log")
    (w,) = log.windows
    assert (w.max_blocks_per_sequence, w.window, w.tokens_per_block, w.primary_blocks, w.secondary_blocks) == \
        (65, 2051, 32, 116617, 0)
    assert w.max_sequence_length is None  # the early 1.x line ends at "secondary blocks"
    assert log.primary_blocks == 116617 and log.secondary_blocks == 0 and log.tokens_per_block == 32
    # the allocation line counts the same tokens: 116617 blocks x 32 tokens
    assert log.kv_cache_tokens == 116617 * 32 == 3731744
    # and 22528 bytes per token (TinyLlama-1.1B: 22 layers x 4 KV heads x 64 x 2 (K,V) x 2 bytes) gives its GiB
    assert 22 * 4 * 64 * 2 * 2 == 22528
    assert log.kv_cache_gib == round(3731744 * 22528 / GIB, 2) == 78.30
    assert log.levels == ("WARNING", "INFO")  # the Triton glog line has no TensorRT-LLM prefix


def test_engine_version_and_version_fallback():
    log = read("pr4028_engine_0.21_gtest.log")
    assert log.engine_version == "0.21.0rc0" and log.version == "0.21.0rc0"
    with pytest.raises(MissingData, match="Allocated X GiB for max tokens in paged KV cache"):
        log.kv_cache_gib


def test_print_iter_log_lines_of_two_releases():
    log = read("pr3914_print_iter_log.log")
    old, new = log.iterations
    assert (old.iter, old.rank, old.scheduled_requests, new.scheduled_requests) == (198, 0, None, 10)
    assert old.host_step_ms == pytest.approx(0.005060911178588867 * 1000)  # elapsed_time is in seconds
    assert (new.ctx_requests, new.ctx_tokens, new.generation_tokens, new.device_step_ms) == (0, 0, 16, None)


def test_trtllm_bench_0_17_report_and_its_arithmetic():
    log = read("trtllm_bench_throughput_0.17.log")
    assert log.version == "0.17.0"  # the import banner, "[TensorRT-LLM] TensorRT-LLM version: 0.17.0"
    bench = log.bench
    assert list(bench.sections) == ["ENGINE DETAILS", "WORLD + RUNTIME INFORMATION", "PERFORMANCE OVERVIEW"]
    perf = bench.sections["PERFORMANCE OVERVIEW"]
    seconds = perf["Total Latency (ms)"] / 1000
    assert perf["Number of requests"] == 3000 and seconds == 13.5256862
    assert round(3000 / seconds, 4) == perf["Request Throughput (req/sec)"] == 221.8002
    assert round(3000 * 128 / seconds, 4) == perf["Token Throughput (tokens/sec)"] == 28390.4265
    assert bench.sections["ENGINE DETAILS"]["Quantization"] == "FP8"
    assert bench.sections["WORLD + RUNTIME INFORMATION"]["KV Memory Percentage"] == "90.00%"
    assert bench.version == "0.17.0" and bench.value("Max Sequence Length") == 256
    # the prefixed lines after the report are other messages, not report entries
    assert "Thread proxy_dispatch_result_thread stopped." not in str(bench.sections)
    extra = (LOGS / "trtllm_bench_throughput_0.17.log").read_text() + "[TensorRT-LLM][INFO] Loaded engine size: 240 MiB\n"
    assert "Loaded engine size" not in parse_log("x.log", extra).bench.sections["PERFORMANCE OVERVIEW"]


def test_trtllm_bench_latency_percentiles():
    bench = read("trtllm_bench_pytorch_multimodal.log").bench
    latency = bench.percentiles["latency"]
    assert bench.percentile("latency", "P99") == latency["p99"]
    with pytest.raises(MissingData, match=r"look for '\[TTFT\] P99 : <value>'") as e:
        bench.percentile("ttft", "p99")
    assert "--streaming" in e.value.diagnostics[0].hint
    assert (latency["p50"], latency["p99"], latency["minimum"]) == (3936.3022, 5514.4701, 2397.1047)
    perf = bench.sections["PERFORMANCE OVERVIEW"]
    assert latency["average"] == perf["Average request latency (ms)"]
    # 10 requests of 128.7 output tokens on average in 6925.4963 ms
    assert round(10 * 128.7 / 6.9254963, 4) == perf["Total Output Throughput (tokens/sec)"] == 185.8351


def test_legacy_iteration_stats_line():
    (it,) = read("perf_analysis_iteration_data.log").iteration_stats
    assert (it.iter, it.active_requests, it.gpu_mem_bytes, it.timestamp) == (90, 249, 540173600, "12-13-2023 14:55:14")
    kv = it.kv
    assert (kv.max_blocks, kv.used_blocks, kv.free_blocks, kv.tokens_per_block) == (2448, 2448, 0, 128)
    assert kv.usage_ratio == 2448 / 2448  # derived: used / max, the pool was full


def test_tensorrtllm_backend_statistics_in_a_log():
    log = read("triton_tensorrtllm_backend.prom", METRICS)
    assert log.triton["kv_cache_block"] == {"tokens_per": 64, "used": 1, "free": 6239, "max": 6239}
    assert log.triton["request"]["max"] == 512 and log.triton["general"]["timestamp"] == 1700074049


@pytest.mark.parametrize("line, level, rank, message", [
    ("[TensorRT-LLM][INFO] Number of blocks in KV cache primary pool: 631", "INFO", None,
     "Number of blocks in KV cache primary pool: 631"),
    ("[TensorRT-LLM][DEBUG][3] BlockManager - missed blocks: 6", "DEBUG", "3", "BlockManager - missed blocks: 6"),
    ("[01/18/2025-01:01:13] [TRT-LLM] [I] Preparing to run throughput benchmark...", "INFO", None,
     "Preparing to run throughput benchmark..."),
    ("[12/04/2025-18:38:28] [TRT-LLM] [RANK 0] [I] moe_load_balancer finalizing model...", "INFO", "0",
     "moe_load_balancer finalizing model..."),
    ("[01/18/2025-01:01:13] [TRT-LLM] [MPI_Rank 2] [F] out of memory", "INTERNAL_ERROR", "2", "out of memory"),
    ("[TRT-LLM] [I] [batchmgr][RANK 1] Max KV cache blocks per sequence: 7", "INFO", "1",
     "Max KV cache blocks per sequence: 7"),
    ("[TensorRT-LLM][WARNING] [kv cache manager] storeContextBlocks", "WARNING", None,
     "[kv cache manager] storeContextBlocks"),
    ("[Latency] P50    : 3936.3022", None, None, "[Latency] P50    : 3936.3022"),
])
def test_prefixes_of_every_logger(line, level, rank, message):
    p = split_prefix(line)
    assert (p.level, p.rank, p.message) == (level, rank, message)
    assert line[p.offset:] == message


def test_known_line_with_a_bad_number_is_exit_3_at_its_line():
    text = ("[TensorRT-LLM][INFO] Set logger level to INFO\n[TensorRT-LLM][INFO] Max KV cache blocks per sequence: 65 "
            "[window size=2049], tokens per block=32, primary blocks=-5, secondary blocks=0\n")
    with pytest.raises(SourceError, match="primary blocks: expected a count") as e:
        parse_log("bad.log", text)
    assert e.value.diagnostics[0].pos.line == 2 and exit_code(e.value) == ExitCode.DATA


def test_a_file_with_nothing_tensorrt_llm_writes_is_refused():
    with pytest.raises(SourceError, match="not a TensorRT-LLM log"):
        parse_log("notes.txt", "hello\nworld\n")


def _deck(tmp_path: Path, log: str, slides: list[dict]) -> Path:
    (tmp_path / "run.log").write_text((LOGS / log).read_text())
    deck = {"title": "logs", "sources": {"log": {"kind": "trtllm_log", "path": "run.log", "label": "run"}},
            "slides": slides}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))
    return tmp_path / "deck.yaml"


def test_info_log_builds_every_slide_that_does_not_need_the_summary(cli, tmp_path):
    deck = _deck(tmp_path, "tutorials_pr150_triton_pytorch.log", [
        {"kind": "bullets", "title": "KV cache", "items": [
            "{{ sources.log.runs[0].log.primary_blocks }} blocks of {{ sources.log.runs[0].log.tokens_per_block }} tokens",
            "{{ sources.log.runs[0].log.kv_cache_gib }} GiB"]}])
    result = cli("build", str(deck), "-o", str(tmp_path / "out.pptx"), "--no-cache", "--quiet")
    assert result.code == 0, result.err
    from pptx import Presentation

    texts = [s.text_frame.text for slide in Presentation(str(tmp_path / "out.pptx")).slides
             for s in slide.shapes if s.has_text_frame]
    assert any("116617 blocks of 32 tokens" in t for t in texts) and any("78.3 GiB" in t for t in texts)


@pytest.mark.parametrize("slide", [
    {"kind": "bullets", "title": "reuse", "items": ["{{ sources.log.runs[0].log.summary.reused_blocks }} reused"]},
    {"kind": "offload_comparison", "source": "log"},
])
def test_a_slide_that_needs_the_summary_names_the_line_and_level(cli, tmp_path, slide):
    deck = _deck(tmp_path, "issue2268_qwen_engine_0.13.log", [slide])
    result = cli("build", str(deck), "-o", str(tmp_path / "out.pptx"), "--no-cache", "--quiet")
    assert result.code == 3, result.err
    line = result.err.strip().splitlines()
    assert len(line) == 1 and "slides[0]" in line[0] and "deck.yaml:" in line[0]
    assert "'BlockManager[windowSize=N] - total allocated blocks: N'" in line[0] and "DEBUG" in line[0]
    assert not (tmp_path / "out.pptx").exists()
