"""Mutated real inputs, one category per source kind, each built into a deck through ``tfeic build``.

Every input starts as a real file (tests/fixtures, or the repository's deck data) and is
damaged by ``mutate``; the slides are the directives that read that source kind. Whatever the
damage, the build must end as ``harness.build`` demands: exit 0/2/3/4, one-line diagnostics, no
traceback, no hang, the previous output untouched.
"""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

import yaml
from hypothesis import given
from hypothesis import strategies as st

from .harness import build, fuzz
from .mutate import damaged, gzipped, json_bytes, retyped_json

REPO = Path(__file__).resolve().parents[2]
TRACES = REPO / "tests" / "fixtures" / "traces"
TRTLLM = REPO / "tests" / "fixtures" / "trtllm"
EXABYTE = REPO / "decks" / "data" / "exabyte"
OFFLOADING = REPO / "decks" / "data" / "kv-offloading"
PREVIOUS = b"the previous build's deck"

TRACE_SLIDES = [{"kind": "timeline", "source": "s"}, {"kind": "kernel_summary", "source": "s"},
                {"kind": "transfer_summary", "source": "s"}]
POOL_SLIDES = [{"kind": "kv_legend", "source": "s"}, {"kind": "kv_zoom", "source": "s", "offset": 0},
               {"kind": "kv_hexdump", "source": "s", "range": {"offset": 0, "length": 256}},
               {"kind": "kv_tiles", "source": "s", "block": 1, "layer": 0},
               {"kind": "kv_linear", "source": "s", "block": 1, "layer": 0}]
SERVER_SLIDES = [{"kind": "transcript"}, {"kind": "inference_metrics"}, {"kind": "request_flow"}]


def write_files(root: Path, files: dict[str, bytes]) -> None:
    """Write ``files`` (relative path -> bytes) under ``root``, making folders as needed."""
    for name, data in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(data)


def build_case(cli, files: dict[str, bytes], source: dict, slides: list[dict]) -> int:
    """Write ``files`` and a one-source deck into a fresh directory, build it over an existing
    output, and return the exit code (the contract is checked by ``harness.build``)."""
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        write_files(root, files)
        deck = {"title": "fuzz", "sources": {"s": source}, "slides": slides}
        (root / "deck.yaml").write_text(yaml.safe_dump(deck, sort_keys=False))
        output = root / "out.pptx"
        output.write_bytes(PREVIOUS)
        return build(cli, root / "deck.yaml", output).code


def _read(path: Path) -> bytes:
    return path.read_bytes()


CHROME_GZ = _read(TRACES / "hta_triton_example.json.gz")
CHROME = json.loads(gzip.decompress(CHROME_GZ))


@fuzz(25)
@given(data=st.one_of(damaged(CHROME_GZ), damaged(gzip.decompress(CHROME_GZ)).map(gzipped)))
def test_damaged_gzip_chrome_trace(cli, data):
    build_case(cli, {"t.json.gz": data}, {"kind": "trace", "path": "t.json.gz"}, TRACE_SLIDES)


@fuzz(25)
@given(doc=retyped_json(CHROME))
def test_retyped_chrome_trace(cli, doc):
    build_case(cli, {"t.json": json_bytes(doc)}, {"kind": "trace", "path": "t.json"}, TRACE_SLIDES)


@fuzz(20)
@given(data=damaged(_read(TRACES / "testcuda_report1.sqlite")))
def test_damaged_nsys_sqlite(cli, data):
    build_case(cli, {"r.sqlite": data}, {"kind": "trace", "path": "r.sqlite"}, TRACE_SLIDES)


POOL = _read(EXABYTE / "block_pool.bin")
POOL_SIDECAR = json.loads(_read(EXABYTE / "block_pool.json"))


@fuzz(15)
@given(size=st.integers(0, 2 * len(POOL)).filter(lambda n: n != len(POOL)))
def test_kv_pool_of_wrong_size(cli, size):
    pool = (POOL * 2)[:size]
    build_case(cli, {"p.bin": pool, "p.json": json_bytes(POOL_SIDECAR)}, {"kind": "kv", "path": "p.bin"}, POOL_SLIDES)


@fuzz(20)
@given(sidecar=retyped_json(POOL_SIDECAR))
def test_kv_pool_sidecar_with_wrong_types(cli, sidecar):
    build_case(cli, {"p.bin": POOL, "p.json": json_bytes(sidecar)}, {"kind": "kv", "path": "p.bin"}, POOL_SLIDES)


ENGINE_CONFIGS = [json.loads(_read(TRTLLM / name)) for name in
                  ("engine_config_trtllm0.13_llama2_7b.json", "llama-3.1-8b_config.json")]


@fuzz(30)
@given(config=st.sampled_from(ENGINE_CONFIGS).flatmap(retyped_json))
def test_engine_config_with_wrong_types(cli, config):
    build_case(cli, {"m/config.json": json_bytes(config)}, {"kind": "engine", "path": "m"},
               [{"kind": "kv_legend", "source": "s"}, {"kind": "kv_memory", "source": "s"}])


CONNECTOR_FILES = sorted((EXABYTE / "connector_cache").glob("*.pt"))


@fuzz(25)
@given(data=damaged(_read(CONNECTOR_FILES[0])))
def test_damaged_connector_pt(cli, data):
    files = {f"c/{p.name}": _read(p) for p in CONNECTOR_FILES}
    files[f"c/{CONNECTOR_FILES[0].name}"] = data
    build_case(cli, files, {"kind": "connector_cache", "path": "c", "layers": 4, "kv_dims": [2, 4, 16, 64]}, POOL_SLIDES)


CELLS = st.one_of(st.text(max_size=8), st.integers().map(str), st.floats().map(str), st.just(""))


@fuzz(25)
@given(rows=st.lists(st.lists(CELLS, max_size=5), max_size=6), header=st.lists(st.text(min_size=1, max_size=6), max_size=4))
def test_ragged_csv(cli, rows, header):
    import csv
    import io

    text = io.StringIO()
    csv.writer(text).writerows([header, *rows])
    slides = [{"kind": "table", "source": "s"}, {"kind": "chart", "source": "s", "chart": "bar"},
              {"kind": "stat", "source": "s", "cards": [{"value": header[0] if header else "x"}]}]
    build_case(cli, {"t.csv": text.getvalue().encode()}, {"kind": "table", "path": "t.csv"}, slides)


@fuzz(20)
@given(data=damaged(_read(OFFLOADING / "offloading_enabled.log")))
def test_damaged_trtllm_log(cli, data):
    build_case(cli, {"a.log": data}, {"kind": "trtllm_log", "path": "a.log"}, [{"kind": "offload_comparison", "source": "s"}])


EVENTS = _read(OFFLOADING / "events_with_offloading.json")


@fuzz(25)
@given(data=st.one_of(damaged(EVENTS), retyped_json(json.loads(EVENTS)).map(json_bytes)))
def test_damaged_kv_events(cli, data):
    build_case(cli, {"e.json": data}, {"kind": "kv_events", "path": "e.json"}, [{"kind": "block_reuse", "source": "s"}])


METRICS = _read(OFFLOADING / "metrics_with_offloading.json")


@fuzz(20)
@given(data=st.one_of(damaged(METRICS), retyped_json(json.loads(METRICS)).map(json_bytes)))
def test_damaged_metrics_snapshot(cli, data):
    slide = {"kind": "bullets", "items": ["{{ sources.s.kv.reused_blocks }} reused, {{ sources.s.total('iterOffloadBlocks') }}"]}
    build_case(cli, {"m.json": data}, {"kind": "metrics_snapshot", "path": "m.json"}, [slide])


SESSION = _read(EXABYTE / "session.json")
SESSION_SOURCE = {"kind": "server", "url": "http://127.0.0.1:9", "snapshot": "session.json", "max_tokens": 96,
                  "temperature": 0, "seed": 7, "extra_body": {"ignore_eos": True},
                  "prompt": "In two sentences: why does the KV cache grow with every generated token?"}


@fuzz(25)
@given(data=st.one_of(damaged(SESSION), retyped_json(json.loads(SESSION)).map(json_bytes)))
def test_damaged_server_snapshot(cli, data):
    slides = [{**s, "source": "s"} for s in SERVER_SLIDES]
    build_case(cli, {"session.json": data}, SESSION_SOURCE, slides)


def test_undamaged_inputs_build(cli):
    """The seeds themselves build: the damage, not the harness, is what the fuzz cases exercise."""
    assert build_case(cli, {"t.json.gz": CHROME_GZ}, {"kind": "trace", "path": "t.json.gz"}, TRACE_SLIDES) == 0
    assert build_case(cli, {"p.bin": POOL, "p.json": json_bytes(POOL_SIDECAR)}, {"kind": "kv", "path": "p.bin"},
                      POOL_SLIDES) == 0
    assert build_case(cli, {"session.json": SESSION}, SESSION_SOURCE, [{**s, "source": "s"} for s in SERVER_SLIDES]) == 0
    assert build_case(cli, {"e.json": EVENTS}, {"kind": "kv_events", "path": "e.json"},
                      [{"kind": "block_reuse", "source": "s"}]) == 0


def test_trace_of_one_instant_builds(cli):
    """Found by the long profile: events that all start and end at one instant made a 0 ns window."""
    trace = {"traceEvents": [{"ph": "X", "cat": "kernel", "name": "k", "ts": 5, "dur": 0}]}
    assert build_case(cli, {"t.json": json_bytes(trace)}, {"kind": "trace", "path": "t.json"}, TRACE_SLIDES) == 0
