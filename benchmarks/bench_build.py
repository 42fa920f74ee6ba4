"""Whole-pipeline build time: `tfeic build` of generated 50- and 500-slide decks next to a plain
python-pptx script writing the same shapes (title, four bullets, a 6x4 table, notes), in one run.

tfeic does much more per slide (schema validation, shaping every word with HarfBuzz, the proof,
explicit text properties, byte-stable zipping), yet the targets are:

- tfeic500 / plain500 <= 1.0 (python-pptx's part naming is quadratic, issue 644; tfeic's is not);
- tfeic500 / tfeic50 <= 12 (linear growth).

Run from the repository root: python3 -m benchmarks.bench_build [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import tempfile

import yaml

from benchmarks.bench_render import COLUMNS, SIZES, compare, slide_content


def deck_yaml(n: int) -> str:
    slides = []
    for i in range(1, n + 1):
        title, bullets, header, rows, notes = slide_content(i)
        slides.append({
            "kind": "columns",
            "title": title,
            "notes": notes,
            "columns": [{"bullets": bullets}, {"table": {"header": header, "rows": rows, "align": ["left"] + ["right"] * (COLUMNS - 1)}}],
        })
    return yaml.safe_dump({"title": f"Benchmark deck, {n} slides", "date": "2026-01-01", "slides": slides}, sort_keys=False)


def tfeic_build(spec: str, out: str) -> None:
    from tfeic.cli import main

    if main(["build", spec, "-o", out, "-q", "--no-cache"]) != 0:  # cold every time: --repeat must not time no-ops
        raise SystemExit(f"tfeic build {spec} failed")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=1, help="builds per measurement; the best counts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        specs = {}
        for n in (2, *SIZES):
            specs[n] = os.path.join(tmp, f"deck{n}.yaml")
            with open(specs[n], "w") as f:
                f.write(deck_yaml(n))
        tfeic_build(specs[2], os.path.join(tmp, "warm.pptx"))  # imports and font loading, once
        compare("tfeic", lambda n: tfeic_build(specs[n], os.path.join(tmp, f"deck{n}.pptx")), args.repeat)


if __name__ == "__main__":
    main()
