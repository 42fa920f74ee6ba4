"""One KV geometry resolver: ``tfeic build`` and ``tfeic kv ...`` read the same dump and sidecar the
same way, so one broken sidecar gives the same exit code and the same message from both."""

import json
import shutil

import pytest
import yaml

from .conftest import EXABYTE

SIDECAR = json.loads((open(f"{EXABYTE}/block_pool.json")).read())
BROKEN = [  # each a sidecar that is well-typed (read_sidecar accepts it) but whose geometry is impossible
    ("kv_factor", 3, "kv_factor (first of kv_dims) must be 1 or 2, got 3"),
    ("layout", "hdn", "layout must be one of hnd, nhd, got 'hdn'"),
    ("dtype", "fp99", "unknown KV dtype 'fp99'"),
    ("layers", 0, "layers must be a positive integer, got 0"),
]


def _error_text(err: str) -> str:
    """The diagnostic without its ``position: error:`` prefix."""
    lines = [line for line in err.splitlines() if ": error: " in line]
    assert len(lines) == 1, err
    return lines[0].split(": error: ", 1)[1]


@pytest.fixture
def pool_dir(tmp_path):
    shutil.copy(f"{EXABYTE}/block_pool.bin", tmp_path / "p.bin")
    deck = {"title": "t", "sources": {"s": {"kind": "kv", "path": "p.bin"}}, "slides": [{"kind": "kv_legend", "source": "s"}]}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(deck))
    return tmp_path


@pytest.mark.parametrize("key,value,reason", BROKEN, ids=[b[0] for b in BROKEN])
@pytest.mark.parametrize("command", ["stats", "locate", "hexdump"])
def test_broken_sidecar_is_the_same_error_from_build_and_kv(cli, pool_dir, command, key, value, reason):
    (pool_dir / "p.json").write_text(json.dumps(dict(SIDECAR, **{key: value})))
    built = cli("build", str(pool_dir / "deck.yaml"), "-o", str(pool_dir / "o.pptx"), "--no-cache", "-q")
    extra = {"stats": [], "locate": ["--offset", "0"], "hexdump": ["--block", "0", "--color", "never"]}[command]
    inspected = cli("kv", command, str(pool_dir / "p.bin"), *extra)
    assert built.code == inspected.code == 3  # a data-file problem, not a usage problem
    assert _error_text(built.err) == _error_text(inspected.err)
    assert _error_text(inspected.err).startswith(f"sidecar geometry: {reason}")
    assert "--engine" not in inspected.err  # no advice about flags the user did not give
    assert built.err.startswith(str(pool_dir / "p.json")) and inspected.err.startswith(str(pool_dir / "p.json"))
    assert not (pool_dir / "o.pptx").exists()


def test_flags_still_override_the_sidecar(cli, pool_dir, capsys):
    """Precedence is unchanged: a flag wins over the sidecar (here fp32 halves the block count)."""
    (pool_dir / "p.json").write_text(json.dumps(SIDECAR))
    plain = cli("kv", "stats", str(pool_dir / "p.bin"), "--json")
    wider = cli("kv", "stats", str(pool_dir / "p.bin"), "--json", "--dtype", "fp32")
    sidecar_free = dict(SIDECAR, blocks=None)
    del sidecar_free["blocks"]
    assert plain.code == 0 and json.loads(plain.out)["blocks"] == SIDECAR["blocks"]
    assert wider.code == 3 and "sidecar says 10 blocks, the dump holds 5" in wider.err
    (pool_dir / "p.json").write_text(json.dumps(sidecar_free))
    wider = cli("kv", "stats", str(pool_dir / "p.bin"), "--json", "--dtype", "fp32")
    assert wider.code == 0 and json.loads(wider.out)["blocks"] == SIDECAR["blocks"] // 2


def test_flags_that_leave_no_geometry_are_a_usage_error(cli, tmp_path):
    """Without sidecar or engine, missing dimensions are the user's to give: exit 2 with the advice."""
    shutil.copy(f"{EXABYTE}/block_pool.bin", tmp_path / "p.bin")
    result = cli("kv", "stats", str(tmp_path / "p.bin"), "--layers", "4")
    assert result.code == 2 and "give --engine DIR or --layers and --kv-dims" in result.err
