"""Hostile connector ``.pt`` files: a view outside its storage, or a zip bomb, is exit 3 and reads nothing.

A ``.pt`` file says where its tensor lies in its storage (offset, sizes, strides) and how large its
zip members are; both are checked before a byte is read. Each case replaces one file of the real
exabyte connector cache and builds a hex-dump deck over it (``harness.build``: one line, no output
written, under 10 s); the views that are legal read exactly the elements numpy's own slicing gives.
"""

from __future__ import annotations

import shutil
import struct
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from tfeic.core.diagnostics import SourceError
from tfeic.domains.kv import pt_reader
from tfeic.domains.kv.pt_reader import read_pt
from tfeic.domains.kv.pt_writer import tensor_pickle, write_pt

from .harness import build

CACHE = Path(__file__).resolve().parents[2] / "decks" / "data" / "exabyte" / "connector_cache"
VICTIM = "2453695514ac2ba4.pt"
SHAPE = (4, 2, 4096)  # the exabyte connector files: bf16 [layers, kv, Hk*T*D]
NUMEL = 4 * 2 * 4096

VIEWS = {  # tensor_pickle arguments of a view that leaves its storage
    "negative offset": dict(offset=-8192),
    "offset past the storage": dict(offset=NUMEL),
    "stride past the storage": dict(strides=(8192, 4096, 2)),
    "broadcast bomb": dict(shape=(4, 2, 10**9), strides=(0, 0, 0)),
    "storage larger than its bytes": dict(numel=NUMEL * 2),
    "negative storage size": dict(numel=-1),
    "negative stride": dict(strides=(8192, 4096, -1)),
    "more elements than the storage": dict(shape=(4, 2, 8192)),
}


def hostile_view(path: Path, *, shape=SHAPE, numel=NUMEL, **view) -> None:
    raw = np.arange(NUMEL, dtype=np.uint16).reshape(SHAPE)
    write_pt(str(path), "bf16", raw, data_pkl=tensor_pickle("bf16", shape, numel=numel, **view))


def zip_bomb(path: Path, expanded: int = 64 << 20) -> None:
    """A .pt whose storage is ``expanded`` bytes of zeros, deflated (about 1000 to 1)."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("b/data.pkl", tensor_pickle("bf16", SHAPE))
        info = zipfile.ZipInfo("b/data/0", date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        with archive.open(info, "w") as member:
            for _ in range(expanded >> 20):
                member.write(bytes(1 << 20))


def lying_header(path: Path) -> None:
    """A deflated storage whose headers declare half its real size (and so a ratio that passes)."""
    data = np.random.default_rng(0).integers(0, 255, NUMEL * 2, dtype=np.uint8).tobytes()
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("b/data.pkl", tensor_pickle("bf16", SHAPE))
        archive.writestr("b/data/0", data, compress_type=zipfile.ZIP_DEFLATED)
    blob = bytearray(path.read_bytes())
    size = struct.pack("<I", len(data))
    for signature, at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local and central headers of b/data/0
        start = blob.rindex(signature)
        assert blob[start + at: start + at + 4] == size
        blob[start + at: start + at + 4] = struct.pack("<I", len(data) // 2)
    path.write_bytes(bytes(blob))


def build_over(cli, tmp_path: Path):
    deck = {"title": "pt", "sources": {"s": {"kind": "connector_cache", "path": "cache", "layers": 4,
                                             "kv_dims": [2, 4, 16, 64]}},
            "slides": [{"kind": "kv_hexdump", "source": "s", "range": {"offset": 0, "length": 4096}}]}
    (tmp_path / "deck.yaml").write_text(yaml.safe_dump(deck))
    return build(cli, tmp_path / "deck.yaml", tmp_path / "out.pptx", seconds=10)


def copy_cache(tmp_path: Path) -> Path:
    shutil.copytree(CACHE, tmp_path / "cache")
    return tmp_path / "cache" / VICTIM


@pytest.mark.parametrize("view", VIEWS.values(), ids=VIEWS.keys())
def test_view_outside_its_storage_is_exit_3(cli, tmp_path, view):
    hostile_view(copy_cache(tmp_path), **view)
    result = build_over(cli, tmp_path)
    assert result.code == 3 and result.err.startswith(str(tmp_path / "cache" / VICTIM)), result.err
    assert not (tmp_path / "out.pptx").exists()


@pytest.mark.parametrize("make, fragment", [(zip_bomb, "refusing a zip bomb"), (lying_header, "CRC")],
                         ids=["zip bomb", "declared size smaller than the data"])
def test_zip_member_sizes_are_enforced(cli, tmp_path, make, fragment):
    make(copy_cache(tmp_path))
    result = build_over(cli, tmp_path)
    assert result.code == 3 and fragment in result.err and VICTIM in result.err, result.err


def test_one_limit_for_all_files_of_a_cache(cli, tmp_path, monkeypatch):
    copy_cache(tmp_path)
    monkeypatch.setattr(pt_reader, "MAX_BYTES", 3 * NUMEL * 2)  # three of the four 64 KiB storages
    result = build_over(cli, tmp_path)
    assert result.code == 3 and "more than the 0 left of the limit" in result.err, result.err


@pytest.mark.parametrize("shape, offset, strides", [
    ((4, 2, 4096), 0, None),  # the contiguous tensor torch writes
    ((2, 2, 100), 5, (8192, 4096, 1)),  # a contiguous-rows view with an offset
    ((4096, 2, 4), 0, (1, 4096, 8192)),  # a transposed view (elements gathered by index)
    ((4, 2, 3), NUMEL - 1 - (3 * 8192 + 4096 + 2 * 5), (8192, 4096, 5)),  # the last element is the storage's last
    ((4, 0, 7), 10**6, (1, 1, 1)),  # empty: reads nothing, wherever it points
])
def test_legal_views_read_exactly_their_elements(tmp_path, shape, offset, strides):
    storage = np.arange(NUMEL, dtype=np.uint16)
    write_pt(str(tmp_path / "v.pt"), "bf16", storage.reshape(SHAPE),
             data_pkl=tensor_pickle("bf16", shape, offset=offset, strides=strides, numel=NUMEL))
    byte_strides = tuple(s * 2 for s in strides) if strides else None
    expected = np.ndarray(shape, np.uint16, buffer=storage, offset=offset * 2 if all(shape) else 0, strides=byte_strides)
    tensor = read_pt(str(tmp_path / "v.pt"))
    assert tensor.shape == shape and np.array_equal(tensor.raw, expected)


def test_a_view_outside_never_returns_other_bytes(tmp_path):
    """The reader's only answer to a view that leaves its storage is an error (no partial read)."""
    for view in VIEWS.values():
        hostile_view(tmp_path / "h.pt", **view)
        with pytest.raises(SourceError, match="pickle in .pt file"):
            read_pt(str(tmp_path / "h.pt"))
