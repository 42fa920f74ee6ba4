"""Every documented limit (docs/reliability.md) is a clear error when hit, with the exit code the
table promises and a message that names the limit."""

from __future__ import annotations

import gzip
import json
import struct
import zlib
from pathlib import Path

import pytest
import yaml

from .harness import build

REPO = Path(__file__).resolve().parents[2]
DEEP = 100_000  # far past Python's recursion limit: json raises RecursionError


def write_deck(root: Path, sources: dict, slides: list, **top) -> Path:
    (root / "deck.yaml").write_text(yaml.safe_dump({"title": "limits", **top, "sources": sources, "slides": slides}))
    return root / "deck.yaml"


def failing(cli, root: Path, code: int, *words: str) -> str:
    """Build ``root/deck.yaml`` over an existing output; it must fail with ``code`` naming ``words``."""
    (root / "out.pptx").write_bytes(b"previous")
    result = build(cli, root / "deck.yaml", root / "out.pptx")
    assert result.code == code, result.err
    for word in words:
        assert word in result.err, result.err
    return result.err


def test_yaml_size(cli, tmp_path):
    (tmp_path / "deck.yaml").write_text("title: x\n# " + "x" * (8 * 1024 * 1024) + "\n")
    failing(cli, tmp_path, 2, "more than the limit")


def test_yaml_alias_expansion(cli, tmp_path):
    bomb = "title: x\na: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, "
        f"*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]\n" for i in range(8))
    (tmp_path / "deck.yaml").write_text(bomb)
    failing(cli, tmp_path, 2, "deck.yaml:", "more than 100000 nodes")


@pytest.mark.parametrize("kind,name,slide", [
    ("kv_events", "e.json", {"kind": "block_reuse", "source": "s"}),
    ("metrics_snapshot", "m.json", {"kind": "title"}),
    ("table", "t.json", {"kind": "table", "source": "s"}),
    ("trace", "t.json", {"kind": "timeline", "source": "s"}),
    ("trace", "t.json.gz", {"kind": "timeline", "source": "s"}),
])
def test_json_nesting_depth(cli, tmp_path, kind, name, slide):
    text = ('{"traceEvents": ' if kind == "trace" else "") + "[" * DEEP + "]" * DEEP + ("}" if kind == "trace" else "")
    data = gzip.compress(text.encode(), mtime=0) if name.endswith(".gz") else text.encode()
    (tmp_path / name).write_bytes(data)
    write_deck(tmp_path, {"s": {"kind": kind, "path": name}}, [slide])
    failing(cli, tmp_path, 3, "nested deeper")


def test_json_nesting_depth_of_a_server_snapshot(cli, tmp_path):
    (tmp_path / "s.json").write_text("[" * DEEP + "]" * DEEP)
    write_deck(tmp_path, {"s": {"kind": "server", "url": "http://127.0.0.1:9", "prompt": "p", "snapshot": "s.json"}},
               [{"kind": "transcript"}])
    failing(cli, tmp_path, 3, "nested deeper", "s.json")


def test_trace_spans(cli, tmp_path):
    events = [{"ph": "X", "cat": "kernel", "name": f"k{i}", "ts": i, "dur": 1} for i in range(50)]
    (tmp_path / "t.json").write_text(json.dumps({"traceEvents": events}))
    write_deck(tmp_path, {"s": {"kind": "trace", "path": "t.json"}}, [{"kind": "timeline", "source": "s"}],
               limits={"trace_spans": 10})
    failing(cli, tmp_path, 2, "more than 10 spans", "limits.trace_spans")


def test_hex_pages(cli, tmp_path):
    data = REPO / "decks" / "data" / "exabyte"
    for name in ("block_pool.bin", "block_pool.json"):
        (tmp_path / name).write_bytes((data / name).read_bytes())
    write_deck(tmp_path, {"s": {"kind": "kv", "path": "block_pool.bin"}},
               [{"kind": "kv_hexdump", "source": "s", "range": {"offset": 0, "length": 65536}}], limits={"hex_pages": 2})
    failing(cli, tmp_path, 2, "hex_pages")


def png_header(width: int, height: int) -> bytes:
    """A PNG whose header declares ``width`` x ``height``: a few bytes that would decode to gigabytes."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b""))


@pytest.mark.parametrize("side,limits", [(100_000, {}), (20_000, {}), (64, {"image_pixels": 1000})])
def test_image_pixels(cli, tmp_path, side, limits):
    """Beyond twice Pillow's limit (Pillow refuses it), between once and twice (Pillow only warns),
    and a deck's own lower limit: all the same clear exit 3."""
    (tmp_path / "bomb.png").write_bytes(png_header(side, side))
    write_deck(tmp_path, {}, [{"kind": "image", "path": "bomb.png"}], **({"limits": limits} if limits else {}))
    failing(cli, tmp_path, 3, "bomb.png", "limits.image_pixels")


def test_unknown_limit_is_a_spec_error(cli, tmp_path):
    write_deck(tmp_path, {}, [{"kind": "title"}], limits={"slides": 3})
    failing(cli, tmp_path, 2, "slides")


def server_deck(root: Path, url: str, **fields) -> Path:
    source = {"kind": "server", "url": url, "model": "tiny", "prompt": "hi", "max_tokens": 5, "probes": False,
              "retries": 0, **fields}
    return write_deck(root, {"s": source}, [{"kind": "transcript", "source": "s"}])


def test_server_response_size(cli, tmp_path, fault_server):
    server_deck(tmp_path, fault_server("trickle"), max_response_bytes=100, timeout=30)
    failing(cli, tmp_path, 3, "larger than 100 bytes")


def test_server_wall_clock_timeout(cli, tmp_path, fault_server):
    """A server that keeps the stream alive forever is cut at the source's ``timeout``."""
    server_deck(tmp_path, fault_server("trickle"), timeout=1)
    failing(cli, tmp_path, 3, "within 1 s")


def test_server_that_never_answers(cli, tmp_path, fault_server):
    server_deck(tmp_path, fault_server("silent"), timeout=1)
    failing(cli, tmp_path, 3, "no answer", "within 1 s")
