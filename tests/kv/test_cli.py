"""The kv/engine commands through tfeic.cli.main, on the committed captured pool and real fixtures."""

import json
import os

import jsonschema
import numpy as np

from tfeic.cli import main
from tfeic.domains.kv.pool import open_pool
from tfeic.domains.kv.synthetic import DEFAULT_GEOMETRY, synthetic_pool

from .conftest import EXABYTE, FIXTURES, REPO

POOL = os.path.join(EXABYTE, "block_pool.bin")


def schema(name):
    with open(os.path.join(REPO, "schemas", name)) as f:
        return json.load(f)


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_engine_inspect_json_matches_schema(capsys):
    code, out, _ = run(capsys, "engine", "inspect", os.path.join(FIXTURES, "engine_config_trtllm0.13_llama2_7b.json"), "--json")
    data = json.loads(out)
    jsonschema.validate(data, schema("engine-inspect.schema.json"))
    assert code == 0 and data["bytes_per_token"] == 524288 and data["bytes_per_block"] == 524288 * 64


def test_engine_inspect_strict_trtllm_is_exit_3(capsys):
    code, _, err = run(capsys, "engine", "inspect", FIXTURES, "--strict-trtllm")
    assert code == 3 and "tensorrt_llm" in err


def test_locate_offset_and_coord_agree(capsys):
    code, out, _ = run(capsys, "kv", "locate", POOL, "--coord", "1,2,1,3,4,5", "--json")
    by_coord = json.loads(out)
    jsonschema.validate(by_coord, schema("kv-locate.schema.json"))
    code2, out2, _ = run(capsys, "kv", "locate", POOL, "--offset", str(by_coord["offset"] + 1), "--json")
    assert code == code2 == 0 and json.loads(out2) == by_coord
    assert by_coord["position"] == 16 + 4  # sidecar: block 1 holds positions 16..31


def test_stats_json_matches_schema_and_finds_unused_blocks(capsys):
    code, out, _ = run(capsys, "kv", "stats", POOL, "--json")
    data = json.loads(out)
    jsonschema.validate(data, schema("kv-stats.schema.json"))
    assert code == 0 and data["unused_blocks"] == [8, 9]
    assert len(data["planes"]) == 4 * 2 * 4


def test_truncated_pool_is_exit_3_with_numbers(tmp_path, capsys):
    bad = tmp_path / "pool.bin"
    bad.write_bytes(b"\0" * 1000)
    code, _, err = run(capsys, "kv", "stats", str(bad), "--layers", "1", "--kv-dims", "2,2,4,8", "--dtype", "fp16")
    assert code == 3 and "1000 bytes" in err and "block is 256 bytes" in err and "232 bytes left over" in err


def test_missing_geometry_is_usage_error(tmp_path, capsys):
    raw = tmp_path / "pool.bin"
    raw.write_bytes(b"\0" * 256)
    code, _, err = run(capsys, "kv", "stats", str(raw))
    assert code == 2 and "geometry" in err


def test_hexdump_prints_every_row(capsys):
    code, out, _ = run(capsys, "kv", "hexdump", POOL, "--block", "0", "--layer", "0", "--color", "never")
    rows = [line for line in out.splitlines() if line[:1] in "0123456789abcdef" and "  █" in line]
    assert code == 0 and len(rows) == 2 * 4 * 16 * 64 * 2 // 16


def test_stats_nan_inf_and_nhd(tmp_path, capsys):
    g = DEFAULT_GEOMETRY.__class__(2, 2, 4, 8, "fp16", "nhd")
    pool = synthetic_pool(g, blocks=3, unused_every=0)
    data = pool.data.copy()
    data[0:2] = np.frombuffer(np.float16(np.nan).tobytes(), np.uint8)
    data[2:4] = np.frombuffer(np.float16(np.inf).tobytes(), np.uint8)
    path = tmp_path / "nhd.bin"
    path.write_bytes(data.tobytes())
    code, out, _ = run(capsys, "kv", "stats", str(path), "--layers", "2", "--kv-dims", "2,2,4,8", "--layout", "nhd", "--json")
    first = json.loads(out)["planes"][0]
    assert code == 0 and (first["nan"], first["inf"]) == (1, 1) and first["min"] is not None
    reference = open_pool(str(path), g).plane_values(0, 0, 0)
    assert np.isnan(reference[0, 0, 0]) and np.isinf(reference[0, 0, 1])
