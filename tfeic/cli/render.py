"""``tfeic render DECK.pptx (--pdf FILE | --png DIR) [--contact-sheet FILE]``: previews through
LibreOffice headless, to check a deck without PowerPoint."""

from __future__ import annotations

import os
import sys
import tempfile

from ..terminal import show


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
    from .. import preview

    with tempfile.TemporaryDirectory(prefix="tfeic-render-") as tmp:
        pdf = args.pdf or os.path.join(tmp, "deck.pdf")
        preview.to_pdf(args.pptx, pdf)
        made = [pdf] if args.pdf else []
        if args.png or args.contact_sheet:
            pngs = preview.pdf_to_pngs(pdf, args.png or os.path.join(tmp, "png"), args.dpi)
            made += pngs if args.png else []
            if args.contact_sheet:
                preview.contact_sheet(pngs, args.contact_sheet)
                made.append(args.contact_sheet)
    show(f"wrote {len(made)} file(s)", sys.stderr)
    return 0
