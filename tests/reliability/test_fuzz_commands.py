"""The inspection commands (``tfeic trace summary``, ``tfeic kv ...``, ``tfeic engine inspect``) under
damaged inputs and arbitrary flag values: they bypass a deck, so their argument parsing and their
own readers are fuzzed here, with the contract of ``harness.run_checked`` (exit 0/2/3/4, one-line
diagnostics, no traceback, no hang)."""

from __future__ import annotations

import gzip
import json
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from .harness import fuzz, run_checked
from .mutate import damaged, gzipped, json_bytes, retyped_json
from .test_fuzz_inputs import CHROME, CHROME_GZ, ENGINE_CONFIGS, POOL, POOL_SIDECAR, TRACES, _read, write_files

FLAG_TEXT = st.one_of(st.text(max_size=12), st.integers(-2**70, 2**70).map(str),
                      st.lists(st.integers(-5, 70000), max_size=7).map(lambda xs: ",".join(map(str, xs))))


def with_files(files: dict[str, bytes], run):
    with tempfile.TemporaryDirectory() as tmp:
        write_files(Path(tmp), files)
        return run(Path(tmp))


@fuzz(20)
@given(data=st.one_of(damaged(CHROME_GZ).map(lambda d: ("t.json.gz", d)),
                      retyped_json(CHROME).map(lambda d: ("t.json", json_bytes(d))),
                      damaged(gzip.decompress(CHROME_GZ)).map(gzipped).map(lambda d: ("t.json.gz", d)),
                      damaged(_read(TRACES / "testcuda_report1.sqlite")).map(lambda d: ("r.sqlite", d))),
       window=st.one_of(st.none(), FLAG_TEXT), as_json=st.booleans())
def test_trace_summary(cli, data, window, as_json):
    name, content = data
    extra = (["--window", window] if window is not None else []) + (["--json"] if as_json else [])
    with_files({name: content}, lambda root: run_checked(cli, "trace", "summary", str(root / name), *extra))


GEOMETRY_FLAGS = st.lists(st.tuples(st.sampled_from(["--layers", "--kv-dims", "--tokens-per-block", "--dtype", "--layout"]),
                                    FLAG_TEXT), max_size=3)


@fuzz(30)
@given(command=st.sampled_from(["stats", "locate-offset", "locate-coord", "hexdump"]), value=FLAG_TEXT,
       flags=GEOMETRY_FLAGS, sidecar=st.one_of(st.just(POOL_SIDECAR), retyped_json(POOL_SIDECAR)),
       size=st.one_of(st.just(len(POOL)), st.integers(0, len(POOL))))
def test_kv_commands(cli, command, value, flags, sidecar, size):
    extra = [part for flag in flags for part in flag]
    args = {"stats": ["stats"], "locate-offset": ["locate", "--offset", value], "locate-coord": ["locate", "--coord", value],
            "hexdump": ["hexdump", "--block", value, "--color", "never"]}[command]
    files = {"p.bin": POOL[:size], "p.json": json_bytes(sidecar)}
    with_files(files, lambda root: run_checked(cli, "kv", args[0], str(root / "p.bin"), *args[1:], *extra))


@fuzz(20)
@given(config=st.sampled_from(ENGINE_CONFIGS).flatmap(retyped_json), kv_config=st.one_of(st.none(), st.binary(max_size=60),
       st.dictionaries(st.sampled_from(["kv_cache_config", "tokens_per_block", "dtype"]),
                       st.one_of(st.integers(), st.text(max_size=5), st.dictionaries(st.text(max_size=5), st.integers())),
                       max_size=3).map(lambda d: json.dumps(d).encode())))
def test_engine_inspect(cli, config, kv_config):
    files = {"m/config.json": json_bytes(config)}
    if kv_config is not None:
        files["kv.yaml"] = kv_config
    extra = ["--kv-cache-config"] if kv_config is not None else []
    with_files(files, lambda root: run_checked(cli, "engine", "inspect", str(root / "m"), *extra,
                                               *([str(root / "kv.yaml")] if extra else []), "--json"))
