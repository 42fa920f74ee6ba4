"""``tfeic render DECK.pptx (--pdf FILE | --png DIR) [--contact-sheet FILE]``: previews through
LibreOffice headless, to check a deck without PowerPoint."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from ..core.terminal import show


def add_parser(sub) -> None:
    p = sub.add_parser("render", help="preview a built .pptx as PDF or PNGs (LibreOffice)", description=__doc__)
    p.add_argument("pptx", metavar="DECK.pptx")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("--pdf", metavar="FILE")
    target.add_argument("--png", metavar="DIR", help="one slide-NNN.png per slide")
    p.add_argument("--contact-sheet", metavar="FILE", help="all slides as thumbnails in one PNG")
    p.add_argument("--dpi", type=int, default=96)
    p.set_defaults(func=run)


def run(args) -> int:
    """Make every preview in a private directory, then write them all at once (``write_outputs``):
    never over the input deck, never half of them."""
    from .. import preview
    from ..render.atomic import Output, check_outputs, write_outputs

    named = [Output(path, flag) for path, flag in ((args.pdf, "--pdf"), (args.contact_sheet, "--contact-sheet")) if path]
    check_outputs(named, [args.pptx])  # before LibreOffice runs; the PNGs' names are known only after
    preview.soffice()  # every tool is checked before the conversion, so a missing one costs no time
    rasterize = preview.png_rasterizer() if args.png or args.contact_sheet else None
    with tempfile.TemporaryDirectory(prefix="tfeic-render-") as tmp:
        made: list[tuple[str, str, str]] = []  # (target, flag, the file made in tmp)
        pdf = os.path.join(tmp, "deck.pdf")
        preview.to_pdf(args.pptx, pdf)
        if args.pdf:
            made.append((args.pdf, "--pdf", pdf))
        if rasterize:
            pngs = rasterize(pdf, os.path.join(tmp, "png"), args.dpi)
            if args.png:
                made += [(os.path.join(args.png, os.path.basename(p)), "--png", p) for p in pngs]
            if args.contact_sheet:
                sheet = os.path.join(tmp, "contact-sheet.png")
                preview.contact_sheet(pngs, sheet)
                made.append((args.contact_sheet, "--contact-sheet", sheet))
        write_outputs([Output(target, flag, Path(made_path).read_bytes()) for target, flag, made_path in made], [args.pptx])
    for target, _flag, _made_path in made:
        show(f"wrote {target}", sys.stderr)
    return 0
