"""``trace_diff`` classifies each side's kernels with the rules its trace was read with: a deck's
``kernel_classes`` change the comparison's class rows, for one trace and for a set of per-rank traces.
Built into a real .pptx from HTA's two sampled ranks (NCCL training on V100s); the expected class
times are sums of the raw events' ``dur`` computed here with json."""

from __future__ import annotations

import gzip
import json
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree

from tfeic.cli import main
from tfeic.domains.timeline.report import duration

from .conftest import FIXTURES

A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
RANKS = FIXTURES / "hta_sampled_ranks"
RANK0, RANK1 = RANKS / "sampled_rank-0.json.gz", RANKS / "sampled_rank-1.json.gz"
#: the deck's rules: NCCL kernels are gemm, every other kernel elementwise (so no shipped rule is reached)
NCCL_AS_GEMM = {"kernel_classes": [{"match": "nccl", "class": "gemm"}, {"match": ".", "class": "elementwise"}]}


def nccl_and_rest(path: Path) -> tuple[int, int]:
    """(ns of the NCCL kernels, ns of every other kernel): ``X`` events of category ``kernel``,
    ``dur`` in microseconds -> integer ns per event, as a Kineto reader converts them."""
    with gzip.open(path, "rt") as f:
        events = json.load(f)["traceEvents"]
    nccl = rest = 0
    for e in events:
        if e.get("ph") == "X" and e.get("cat") == "kernel":
            ns = int(round(float(e["dur"]) * 1000))
            if re.search("nccl", e["name"], re.I):
                nccl += ns
            else:
                rest += ns
    return nccl, rest


def class_rows(tmp_path: Path, a: Path, b: Path, rules: dict | None) -> dict[str, tuple[str, str]]:
    """Build a one-slide deck comparing ``a`` and ``b`` (both read with ``rules``) and return the
    table's class rows: class -> (A's time, B's time) as the slide prints them."""
    extra = {"rules": rules} if rules else {}
    deck = tmp_path / "deck.yaml"
    deck.write_text(json.dumps({"title": "T", "sources": {"a": {"kind": "trace", "path": str(a), **extra},
                                                         "b": {"kind": "trace", "path": str(b), **extra}},
                                "slides": [{"kind": "trace_diff", "a": "a", "b": "b"}]}))
    out = tmp_path / "out.pptx"
    assert main(["build", str(deck), "-o", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        root = ElementTree.fromstring(z.read("ppt/slides/slide1.xml"))
    rows = [["".join(t.text or "" for t in tc.iter(f"{A}t")) for tc in tr.iter(f"{A}tc")] for tr in root.iter(f"{A}tr")]
    return {r[0]: (r[2], r[3]) for r in rows if r[1] == "class"}


def test_a_deck_rule_that_makes_nccl_gemm_changes_the_class_rows(tmp_path):
    (n0, r0), (n1, r1) = nccl_and_rest(RANK0), nccl_and_rest(RANK1)
    assert n0 > 0 and n1 > 0  # both ranks run NCCL SendRecv kernels
    shipped = class_rows(tmp_path, RANK0, RANK1, None)
    assert shipped["communication"] == (duration(n0), duration(n1))  # the shipped taxonomy: NCCL is communication
    own = class_rows(tmp_path, RANK0, RANK1, NCCL_AS_GEMM)
    assert own == {"gemm": (duration(n0), duration(n1)), "elementwise": (duration(r0), duration(r1))}


def test_a_set_side_is_classified_with_its_rules_too(tmp_path):
    """A set of the two ranks against rank 0: the set's class times are the per-rank means."""
    (n0, r0), (n1, r1) = nccl_and_rest(RANK0), nccl_and_rest(RANK1)
    own = class_rows(tmp_path, RANKS, RANK0, NCCL_AS_GEMM)
    assert own == {"gemm": (duration((n0 + n1) / 2), duration(n0)), "elementwise": (duration((r0 + r1) / 2), duration(r0))}
