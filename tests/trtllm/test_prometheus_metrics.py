"""/metrics as Prometheus text (issue 15, item 2), on real answers: SGLang's documented example and
Triton tensorrtllm_backend's. Percentiles are recomputed here from the bucket counts with the rule
of Prometheus' histogram_quantile (promql/quantile.go, bucketQuantile), written out step by step."""

import math
from pathlib import Path

import pytest
import yaml

from tfeic.cli.exit_codes import ExitCode, exit_code
from tfeic.core.diagnostics import MissingData, SourceError
from tfeic.domains.trtllm.metrics import MetricsSnapshot, parse_metrics
from tfeic.domains.trtllm.prometheus import PrometheusMetrics

METRICS = Path(__file__).resolve().parents[1] / "fixtures" / "metrics"
SGLANG = "sglang_production_metrics.prom"


def read(name: str):
    return parse_metrics(name, (METRICS / name).read_text())


def test_both_shapes_from_one_parser():
    assert isinstance(read(SGLANG), PrometheusMetrics)
    docs = Path(__file__).resolve().parents[1] / "fixtures" / "trtllm" / "metrics_example_from_docs.json"
    assert isinstance(parse_metrics("m.json", docs.read_text()), MetricsSnapshot)


def test_tpot_median_interpolates_inside_its_bucket():
    est = read(SGLANG).quantile("sglang:time_per_output_token_seconds", 0.5)
    total = 7.400757e06  # le="+Inf"
    rank = 0.5 * total  # 3700378.5: past le=0.075 (433413), within le=0.1 (4950195)
    expected = 0.075 + (0.1 - 0.075) * (rank - 433413.0) / (4.950195e06 - 433413.0)
    assert est.value == pytest.approx(expected) and (est.lower, est.upper, est.observations) == (0.075, 0.1, total)
    assert est.text == "p50 <= 0.1 s (bucket 0.075-0.1 s)"


def test_p99_past_the_highest_finite_bucket_is_a_lower_limit():
    est = read(SGLANG).quantile("sglang:time_to_first_token_seconds", 0.99)
    # 0.99 x 11008 = 10897.92 observations, but only 2513 are <= 30 s: histogram_quantile answers 30
    assert 0.99 * 11008 > 2513
    assert est.value == 30.0 and math.isinf(est.upper)
    assert est.text == "p99 > 30 s (bucket 30 s-+Inf)"


def test_low_quantile_of_e2e_latency():
    est = read(SGLANG).quantile("sglang:e2e_request_latency_seconds", 0.01)
    rank = 0.01 * 11228  # 112.28: past le=20 (14), within le=30 (247)
    assert est.value == pytest.approx(20 + (30 - 20) * (rank - 14) / (247 - 14))
    assert est.text == "p1 <= 30 s (bucket 20-30 s)"


def test_samples_and_label_selection():
    sg = read(SGLANG)
    assert sg.value("sglang:num_running_reqs") == 162 and sg.value("sglang:prompt_tokens_total") == 8128902
    triton = read("triton_tensorrtllm_backend.prom")
    assert triton.value("nv_trt_llm_kv_cache_block_metrics", kv_cache_block_type="max") == 6239
    assert triton.value("nv_trt_llm_request_metrics", request_type="max") == 512
    with pytest.raises(MissingData, match='kv_cache_block_type="fraction"'):
        triton.value("nv_trt_llm_kv_cache_block_metrics", kv_cache_block_type="fraction")
    with pytest.raises(MissingData, match="its histograms: none"):
        triton.quantile("nv_trt_llm_request_metrics", 0.5)


BAD = {  # text -> (line, what the message says)
    "# TYPE t histogram\nt_bucket{le=\"1\"} 2\nt_count 2\n": (2, 'no le="+Inf" bucket'),
    "up 1\nthis is not a sample\n": (2, "not a Prometheus sample line"),
    "# TYPE t histogram\nt_bucket{le=\"0.b25\"} 1\nt_bucket{le=\"+Inf\"} 1\n": (2, "t_bucket: le='0.b25' is not a number"),
    "# HELP nothing here\n": (1, "no samples"),
}


@pytest.mark.parametrize("text", list(BAD))
def test_bad_exposition_is_exit_3_at_its_line(text):
    try:
        parse_metrics("m.prom", text)
    except SourceError as error:
        (diagnostic,) = error.diagnostics
        assert (diagnostic.pos.line, exit_code(error)) == (BAD[text][0], ExitCode.DATA)
        assert BAD[text][1] in diagnostic.message
    else:
        pytest.fail("accepted")


def test_a_slide_states_the_percentile_and_its_bucket(cli, tmp_path):
    (tmp_path / "m.prom").write_text((METRICS / SGLANG).read_text())
    deck = {"title": "metrics", "sources": {"m": {"kind": "metrics_snapshot", "path": "m.prom"}}, "slides": [
        {"kind": "bullets", "title": "TPOT", "items": [
            "{{ sources.m.quantile('sglang:time_per_output_token_seconds', 0.9).text }}"]}]}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))
    result = cli("build", str(tmp_path / "deck.yaml"), "-o", str(tmp_path / "out.pptx"), "--no-cache", "--quiet")
    assert result.code == 0, result.err
    from pptx import Presentation

    texts = [s.text_frame.text for slide in Presentation(str(tmp_path / "out.pptx")).slides
             for s in slide.shapes if s.has_text_frame]
    # 0.9 x 7400757 = 6660681.3 lies past le=0.1 (4950195) and within le=0.15 (7039435)
    assert 4.950195e06 < 0.9 * 7.400757e06 <= 7.039435e06
    assert any("p90 <= 0.15 s (bucket 0.1-0.15 s)" in t for t in texts)
