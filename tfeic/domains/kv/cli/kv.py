"""``tfeic kv locate|stats|hexdump POOL``: inspect a raw KV block-pool dump from the terminal.

Geometry, weakest first: ``--engine DIR``, the sidecar (``pool.bin`` -> ``pool.json``), then the flags. File
problems are exit 3, usage problems exit 2. ``--json`` outputs are documented in ``schemas/``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

from tfeic.core.diagnostics import Diagnostic, Pos, SourceError, SpecError, flag_error
from ..palette import PLANE_NAMES, head_color, token_color
from tfeic.core.terminal import print_json, show

# numpy-backed modules are imported inside the commands so that `tfeic --version` stays fast


def open_from_args(args):
    """The pool named on the command line, with geometry from --engine, the sidecar and the flags."""
    from ..resolve import existing_sidecar, open_with_sidecar, resolve_geometry

    if args.strict_trtllm and not args.engine:
        raise flag_error("--strict-trtllm", "needs --engine DIR")
    flags = {"layers": args.layers, "kv_dims": args.kv_dims, "tokens_per_block": args.tokens_per_block,
             "dtype": args.dtype, "layout": args.layout}
    geometry, sidecar = resolve_geometry(
        engine_dir=args.engine or None, strict_trtllm=args.strict_trtllm, sidecar=existing_sidecar(args.pool), overrides=flags,
        bad_overrides=lambda reason: SpecError(Diagnostic(reason, Pos(args.pool), hint="give --engine DIR or --layers and --kv-dims")))
    if not os.path.isfile(args.pool):
        raise SourceError(Diagnostic("no such file", Pos(args.pool)))
    return open_with_sidecar(args.pool, geometry, sidecar)


def _coord(text: str):
    from ..offsets import Coord

    try:
        values = [int(v) for v in text.split(",")]
    except ValueError:
        raise flag_error("--coord", f"expected six integers b,l,kv,h,t,d, got {text!r}") from None
    if len(values) != 6:
        raise flag_error("--coord", f"expected six integers b,l,kv,h,t,d, got {len(values)}")
    return Coord(*values)


def run_locate(args) -> int:
    from ..offsets import coord_problem, locate
    from ..stats import json_number

    pool = open_from_args(args)
    if args.offset is not None:
        if not 0 <= args.offset < pool.nbytes:
            raise flag_error("--offset", f"{args.offset} is outside the pool (0..{pool.nbytes - 1})")
        coord, _ = locate(pool.geometry, args.offset)
    else:
        coord = _coord(args.coord)
        problem = coord_problem(pool.geometry, coord, pool.num_blocks)
        if problem:
            raise flag_error("--coord", problem)
    element = pool.element(coord)
    out = {"block": coord.block, "layer": coord.layer, "kv": coord.kv, "head": coord.head, "token": coord.token,
           "dim": coord.dim, "offset": element.offset, "nbytes": len(element.raw), "hex": element.raw.hex(" "),
           "value": json_number(element.value)}
    tokens = pool.block_tokens.get(coord.block)
    if tokens is not None and coord.token < tokens.count:
        out["position"] = tokens.first_position + coord.token
    if args.json:
        print_json(out)
        return 0
    show(f"block {coord.block} layer {coord.layer} {PLANE_NAMES[coord.kv]} head {coord.head} token {coord.token} dim {coord.dim}"
          + (f" (position {out['position']})" if "position" in out else ""))
    show(f"bytes {element.offset}..{element.offset + len(element.raw) - 1} ({pool.geometry.dtype}): {out['hex']} = {element.value!r}")
    return 0


def run_stats(args) -> int:
    from ..stats import json_number, pool_stats

    stats = pool_stats(open_from_args(args))
    keys = ("layer", "kv", "head", "min", "max", "mean", "absmax", "nan", "inf", "zero_fraction")
    planes: list[dict[str, Any]] = [{k: json_number(getattr(p, k)) if k in ("min", "max", "mean", "absmax", "zero_fraction") else getattr(p, k)
               for k in keys} for p in stats.planes]
    if args.json:
        print_json({"blocks": stats.blocks, "unused_blocks": list(stats.unused_blocks), "planes": planes})
        return 0
    show(f"{stats.blocks} blocks, unused (all zero): {list(stats.unused_blocks) or 'none'}")
    show(f"{'layer':>5} {'kv':>2} {'head':>4} {'min':>11} {'max':>11} {'mean':>11} {'absmax':>11} {'nan':>5} {'inf':>5} {'zero%':>6}")
    fmt = lambda v: f"{v:11.4g}" if v is not None else f"{'-':>11}"  # noqa: E731
    for p in planes:
        zero = f"{100 * p['zero_fraction']:6.2f}" if p["zero_fraction"] is not None else f"{'-':>6}"
        show(f"{p['layer']:>5} {PLANE_NAMES[p['kv']]:>2} {p['head']:>4} {fmt(p['min'])} {fmt(p['max'])} "
              f"{fmt(p['mean'])} {fmt(p['absmax'])} {p['nan']:>5} {p['inf']:>5} {zero}")
    return 0


def run_hexdump(args) -> int:
    from rich.console import Console
    from rich.text import Text

    from ..hexview import hex_rows, offset_digits

    pool = open_from_args(args)
    g = pool.geometry
    if not 0 <= args.block < pool.num_blocks:
        raise flag_error("--block", f"{args.block} is outside the pool (0..{pool.num_blocks - 1})")
    layers = range(g.layers) if args.layer is None else [args.layer]
    if args.layer is not None and not 0 <= args.layer < g.layers:
        raise flag_error("--layer", f"{args.layer} is outside 0..{g.layers - 1}")
    console = Console(file=sys.stdout, highlight=False, force_terminal={"always": True, "never": False}.get(args.color),
                      no_color=args.color == "never", width=200)
    digits = offset_digits(pool)
    for layer in layers:
        start = args.block * g.block_bytes + layer * g.layer_block_bytes
        console.print(f"block {args.block} layer {layer}: bytes {start}..{start + g.layer_block_bytes - 1}")
        for row in hex_rows(pool, start, g.layer_block_bytes):
            line = Text(f"{row.offset:0{digits}x}  ")
            line.append("█", style=head_color(row.first.kv, row.first.head))
            line.append("▌ ", style=token_color(row.first.token))
            for byte, coord in zip(row.data, row.coords):
                line.append(f"{byte:02x} ", style=head_color(coord.kv, coord.head))
            line.append(f" {row.tag()}")
            console.print(line)
    return 0


def _geometry_flags() -> argparse.ArgumentParser:
    flags = argparse.ArgumentParser(add_help=False)
    flags.add_argument("pool", metavar="POOL", help="raw block-pool dump")
    flags.add_argument("--engine", metavar="DIR", help="engine or checkpoint dir that gives the geometry")
    flags.add_argument("--strict-trtllm", action="store_true", help="fail unless tensorrt_llm is installed")
    flags.add_argument("--layers", type=int, metavar="L")
    flags.add_argument("--kv-dims", metavar="2,Hk,T,D", help="kv factor, KV heads, tokens per block, head dim")
    flags.add_argument("--tokens-per-block", type=int, metavar="T")
    flags.add_argument("--dtype", metavar="DTYPE", help="fp32, fp16, bf16, fp8_e4m3, fp8_e5m2 or int8")
    flags.add_argument("--layout", choices=("hnd", "nhd"))
    return flags


def add_parser(subparsers) -> None:
    kv = subparsers.add_parser("kv", help="inspect a raw KV block-pool dump")
    sub = kv.add_subparsers(dest="kv_command", metavar="SUBCOMMAND", required=True)
    flags = _geometry_flags()
    loc = sub.add_parser("locate", parents=[flags], help="the element at a byte offset or coordinate, its bytes and value")
    where = loc.add_mutually_exclusive_group(required=True)
    where.add_argument("--offset", type=int, metavar="N")
    where.add_argument("--coord", metavar="b,l,kv,h,t,d")
    loc.add_argument("--json", action="store_true", help="stable JSON (schemas/kv-locate.schema.json)")
    loc.set_defaults(func=run_locate)
    stats = sub.add_parser("stats", parents=[flags], help="per layer x plane x head statistics and unused blocks")
    stats.add_argument("--json", action="store_true", help="stable JSON (schemas/kv-stats.schema.json)")
    stats.set_defaults(func=run_stats)
    hexdump = sub.add_parser("hexdump", parents=[flags], help="coloured hex of one block (all layers or one)")
    hexdump.add_argument("--block", type=int, required=True, metavar="B")
    hexdump.add_argument("--layer", type=int, metavar="L")
    hexdump.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    hexdump.set_defaults(func=run_hexdump)
