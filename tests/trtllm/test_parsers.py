"""Log, events and metrics parsers on TensorRT-LLM's formats (reference/trtllm.md sections 3-5),
older variants included, and malformed input as exit 3 at file:line."""

from pathlib import Path

import pytest

from tfeic.cli.exit_codes import ExitCode, exit_code
from tfeic.core.diagnostics import SourceError
from tfeic.domains.inference.probes import prometheus_series
from tfeic.domains.trtllm.events import parse_events
from tfeic.domains.trtllm.log import parse_log
from tfeic.domains.trtllm.metrics import parse_metrics, to_prometheus

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "trtllm"
DATA = Path(__file__).resolve().parents[2] / "decks" / "data" / "kv-offloading"

COUNTERS = """\
{p}{m} - total allocated blocks:              12
{p}{m} - allocated new blocks:                10
{p}{m} - missed blocks:                       6
{p}{m} - reused blocks:                       2
{p}{m} - reused unique blocks:                2
{p}{m} - reused unique blocks percentage (%): 16.67
{p}{m} - cache hit rate:                      0.25
{p}{m} - reused tokens:                       32
{p}{m} - reused tokens percentage (%):        40.00
"""


@pytest.mark.parametrize("prefix, manager, window, rank", [
    ("[TensorRT-LLM][DEBUG] ", "BlockManager[windowSize=48]", 48, None),
    ("[TensorRT-LLM][DEBUG] ", "BlockManager", None, None),  # older releases
    ("[TensorRT-LLM][DEBUG][1] ", "BlockManager[windowSize=4096]", 4096, "1"),
])
def test_reuse_summary_variants(prefix, manager, window, rank):
    s = parse_log("x.log", "noise\n" + COUNTERS.format(p=prefix, m=manager)).summary
    assert (s.window, s.rank, s.total_blocks, s.new_blocks, s.missed_blocks, s.reused_blocks) == (window, rank, 12, 10, 6, 2)
    assert s.hit_rate == 0.25 and s.hit_rate_percent == 25.0  # a fraction, not a percentage
    assert (s.reused_tokens, s.reused_tokens_percent, s.reused_unique_percent) == (32, 40.0, 16.67)
    assert s.pos.line == 2


def test_two_summaries_pools_and_connector_from_the_deck_data():
    log = parse_log("c.log", (DATA / "connector_two_instances.log").read_text())
    assert len(log.summaries) == 2 and [c.blocks for c in log.connector] == [0, 1]
    assert (log.primary_blocks, log.secondary_blocks, log.new_block_lines) == (3, 0, 4)
    runs = [parse_log(p.name, p.read_text()) for p in (DATA / "offloading_disabled.log", DATA / "offloading_enabled.log")]
    assert [r.summary.reused_blocks for r in runs] == [0, 2] and runs[1].secondary_blocks == 512
    assert runs[1].pools[1].onboard is True and runs[1].matched_block_lines == 2


@pytest.mark.parametrize("text, line, message", [
    ("hello\n", 1, "no block manager reuse summary"),
    (COUNTERS.format(p="", m="BlockManager").replace("missed blocks:                       6", "missed blocks: six"), 3, "expected a number"),
    ("\n".join(COUNTERS.format(p="", m="BlockManager").splitlines()[:4]), 1, "no 'reused unique blocks' line"),
    ("BlockManager - reused blocks: 2\n", 1, "outside a reuse summary"),
])
def test_malformed_log_is_exit_3_at_its_line(text, line, message):
    with pytest.raises(SourceError, match=message) as e:
        parse_log("bad.log", text)
    assert exit_code(e.value) == ExitCode.DATA and e.value.diagnostics[0].pos.line == line


EVENTS = """[
 {"event_id": 0, "data": {"type": "created", "num_blocks_per_cache_level": [3, 8]}, "window_size": 48},
 {"event_id": 1, "data": {"type": "stored", "parent_hash": null, "blocks": [
   {"type": "stored_block", "block_hash": 18446744073709551615, "tokens": [{"type": "unique_token", "token_id": 7, "token_extra_id": 0}],
    "cache_level": 0, "priority": null},
   {"type": "stored_block", "block_hash": 9223372036854775809, "tokens": [], "cache_level": 0, "priority": 35}]}, "window_size": 48},
 {"event_id": 2, "data": {"type": "updated", "block_hash": 9223372036854775809,
   "cache_level": {"type": "event_diff", "new_value": 1, "old_value": 0}, "priority": null}, "window_size": 48},
 {"event_id": 3, "data": {"type": "updated", "block_hash": 9223372036854775809,
   "cache_level": {"type": "event_diff", "new_value": 0, "old_value": 1}, "priority": null}, "window_size": 48},
 {"event_id": 4, "data": {"type": "removed", "block_hashes": [9223372036854775809, 18446744073709551615]}, "window_size": 48}
]"""


def test_events_big_hashes_null_priority_and_level_moves():
    ev = parse_events("e.json", EVENTS)
    assert (ev.stored, ev.offloaded, ev.onboarded, ev.removed) == (2, 1, 1, 2)
    root, child = ev.lifecycles()
    assert root.block_hash == 2**64 - 1 and child.parent_hash == 2**64 - 1  # exact above 2^63
    assert [a for _, a, _ in child.steps] == ["stored", "offloaded", "onboarded", "removed"]
    assert [lvl for _, _, lvl in child.steps] == [0, 1, 0, None]
    assert ev.events[1].priority is None and ev.events[2].priority == 35


@pytest.mark.parametrize("text, line, message", [
    ('[\n{"event_id": 1, "data": {"type": "stored", "parent_hash": null, "blocks": [{"block_hash": -5}]}}\n]', 2, "64-bit unsigned"),
    ('[\n{"event_id": 1, "data": {"type": "evicted"}}]', 2, "unknown event type"),
    ('[\n{"event_id": 1,\n "data": }]', 3, "invalid JSON"),
])
def test_malformed_events_are_exit_3_at_their_line(text, line, message):
    with pytest.raises(SourceError, match=message) as e:
        parse_events("bad.json", text)
    assert exit_code(e.value) == ExitCode.DATA and e.value.diagnostics[0].pos.line == line


def test_metrics_example_from_the_docs_and_prometheus_mapping():
    snap = parse_metrics("m.json", (FIXTURES / "metrics_example_from_docs.json").read_text())
    assert snap.last.iter == 154 and snap.kv.reused_blocks == 4 and snap.kv.cache_hit_rate == 0.00128
    series = prometheus_series(to_prometheus(snap))  # read back by the server probes' own parser
    assert series["llamacpp:kv_cache_usage_ratio"] == pytest.approx(3 / 101256)
    assert series["llamacpp:kv_cache_tokens"] == 96 and series["llamacpp:requests_processing"] == 1
    assert series["trtllm:kv_cache_reused_blocks_total"] == 4


def test_metrics_iteration_stats_per_window_and_bad_item():
    snap = parse_metrics("m.json", (DATA / "metrics_with_offloading.json").read_text())
    assert snap.total("iterOffloadBlocks") == 9 and snap.total("iterOnboardBlocks") == 2
    with pytest.raises(SourceError, match="kvCacheStats.reusedBlocks must be a number") as e:
        parse_metrics("m.json", '[{"iter": 1},\n {"kvCacheStats": {"reusedBlocks": "4"}}]')
    assert e.value.diagnostics[0].pos.line == 2
