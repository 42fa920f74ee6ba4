"""TFEITool's own command lines (seed 000's README), run as its users typed them, on real files.

``tfeic build`` without a SPEC compiles TFEITool's slide set (``tfeic/deck/packaged/tfeitool.yaml``);
shorthand paths are relative to the working directory; a source the command line does not give is
left out with its slides (with --dry-run every source is synthetic). Expected values come from the
files themselves (the model's config.json, the bytes written here), read in the test.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "decks" / "data" / "exabyte" / "model"
POOL = REPO / "decks" / "data" / "exabyte" / "block_pool.bin"
TRACE = REPO / "tests" / "fixtures" / "traces" / "dynamicvit_nsys_profile.sqlite"


def tfeic(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tfeic", *args, "--no-cache"], cwd=cwd, capture_output=True,
                          text=True, timeout=300, env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})


def slide_texts(pptx: Path) -> list[str]:
    """The text of every slide, in order, read straight from the XML."""
    with zipfile.ZipFile(pptx) as z:
        names = sorted((n for n in z.namelist() if re.fullmatch(r"ppt/slides/slide\d+\.xml", n)),
                       key=lambda n: int(re.findall(r"\d+", n)[0]))
        return [" ".join(re.findall(r"<a:t>([^<]*)</a:t>", z.read(n).decode())) for n in names]


def test_the_synthetic_dry_run(tmp_path):
    """``python TFEITool.py --dry-run --prompt "example audience prompt" --output tfei_report.pptx``"""
    r = tfeic("build", "--dry-run", "--prompt", "example audience prompt", "--output", "tfei_report.pptx", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    texts = slide_texts(tmp_path / "tfei_report.pptx")
    # title, request flow, metrics, legend, tiles, linear, zoom, hex, timeline, kernel table, kernel classes, reproducibility
    assert len(texts) == 12
    assert "left out" not in r.stderr  # nothing is left out under --dry-run (the synthetic pool's labels may shrink)


def test_a_real_run_against_a_server_an_engine_a_pool_and_a_trace(llama_server, tmp_path):
    """``--server URL --engine-dir DIR --kv-binary FILE --qdrep FILE --prompt ... --output X``, paths
    typed relative to the working directory."""
    out = tmp_path / "tfei_report.pptx"
    r = tfeic("build", "--server", llama_server.url, "--engine-dir", str(MODEL.relative_to(REPO)),
              "--kv-binary", str(POOL.relative_to(REPO)), "--qdrep", str(TRACE.relative_to(REPO)),
              "--prompt", "illustrating inference data flow", "--output", str(out), cwd=REPO)
    assert r.returncode == 0, r.stderr
    assert "warning" not in r.stderr
    texts = slide_texts(out)
    titles = [t.split(" ")[0] for t in texts]
    # every source was given, so every part of the slide set is there (the kernel-class chart only when
    # the trace has more than one class of kernel)
    for first_word in ("TensorRT-LLM", "KV", "K", "Block", "Zoom:", "Hex:", "Timeline", "Top", "Reproducibility"):
        assert first_word in titles, (first_word, titles)
    assert len(texts) >= 11
    config = json.loads((MODEL / "config.json").read_text())
    legend = next(t for t in texts if "layers (L)" in t)
    assert re.search(rf"layers \(L\) {config['num_hidden_layers']}\b", legend)
    assert re.search(rf"KV heads \(Hk\) {config['num_key_value_heads']}\b", legend)
    assert re.search(rf"head dim \(D\) {config['head_dim']}\b", legend)
    assert any("illustrating inference data flow" in t for t in texts) or "127.0.0.1" in " ".join(texts)


def test_kv_dims_alone_describes_one_layer_and_every_slide_agrees(tmp_path):
    """``--kv-binary FILE --kv-dims 2,8,32,16`` on a dump with no sidecar and no engine: one layer's
    blocks of [2, Hk=8, T=32, D=16] fp16, as TFEITool's --kv-dims meant."""
    values = np.arange(4 * 2 * 8 * 32 * 16, dtype=np.float32) % 2048  # exact in fp16
    values.astype(np.float16).tofile(tmp_path / "pool.bin")
    r = tfeic("build", "--kv-binary", "pool.bin", "--kv-dims", "2,8,32,16", "--dtype-bytes", "2",
              "--output", "out.pptx", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    texts = slide_texts(tmp_path / "out.pptx")
    legend = next(t for t in texts if "layers (L)" in t)
    for row in ("layers (L) 1", "KV heads (Hk) 8", "tokens per block (T) 32", "head dim (D) 16", "blocks in pool 4"):
        assert row in legend, row
    assert "heads 0-7" in legend
    zoom = next(t for t in texts if t.startswith("Zoom"))
    # element k of the dump (K plane, head 0, token 0, dim k) is the value k: offsets 0, 2, 4, ...
    assert all(f"K h0 t0 d{k} {k}" in zoom for k in range(16))
    # the hex page's first row is the first 16 bytes as written, little-endian fp16
    first = " ".join(f"{b:02x}" for b in (tmp_path / "pool.bin").read_bytes()[:16])
    assert any(first in t for t in texts if t.startswith("Hex"))


def test_dtype_by_name_and_by_bytes(tmp_path):
    np.zeros(2 * 8 * 32 * 16, dtype=np.uint16).tofile(tmp_path / "pool.bin")
    r = tfeic("build", "--kv-binary", "pool.bin", "--kv-dims", "2,8,32,16", "--dtype", "bf16", "--output", "a.pptx",
              cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert re.search(r"KV dtype bf16 \(2 B\)", next(t for t in slide_texts(tmp_path / "a.pptx") if "layers (L)" in t))
    # one byte per element: the same file holds twice the blocks
    r = tfeic("build", "--kv-binary", "pool.bin", "--kv-dims", "2,8,32,16", "--dtype-bytes", "1", "--output", "b.pptx",
              cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    legend = next(t for t in slide_texts(tmp_path / "b.pptx") if "layers (L)" in t)
    assert "fp8_e4m3 (1 B)" in legend and "blocks in pool 2" in legend


def test_a_source_the_command_line_does_not_give_is_left_out_with_its_slides(tmp_path):
    np.zeros(2 * 8 * 32 * 16, dtype=np.uint16).tofile(tmp_path / "pool.bin")
    r = tfeic("build", "--kv-binary", "pool.bin", "--kv-dims", "2,8,32,16", "--output", "c.pptx", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    # (the shrink warnings that layout adds, e.g. for the linear layout's labels, are not about sources)
    warnings = [line for line in r.stderr.splitlines() if ": warning: " in line and ": text shrunk from " not in line]
    assert len(warnings) == 3 and all("left out with the slides that read it" in w for w in warnings)
    assert any("(give --server)" in w for w in warnings) and any("--qdrep or --timeline-json" in w for w in warnings)
    assert len(slide_texts(tmp_path / "c.pptx")) == 7  # no request flow, metrics, timeline or kernel slides
