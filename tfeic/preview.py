"""Previews of a built deck through LibreOffice headless: PDF, one PNG per slide, a contact sheet.

Lives outside the five compile stages: it reads a finished .pptx, so it can check any deck, and it is
the only module that starts ``soffice``.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import subprocess
import tempfile
from typing import Callable

from .core.diagnostics import Diagnostic, SourceError

SOFFICE_TIMEOUT_S = 180
PDFTOPPM_TIMEOUT_S = 180

Rasterizer = Callable[[str, str, int], "list[str]"]  # (pdf, out_dir, dpi) -> slide-NNN.png paths


def soffice() -> str:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    if not exe:
        raise SourceError(Diagnostic("LibreOffice is not installed (soffice not on PATH)", hint="apt-get install libreoffice-impress"))
    return exe


def to_pdf(pptx: str, pdf: str) -> None:
    """Convert with a private, throw-away LibreOffice profile (parallel runs don't collide)."""
    if not os.path.isfile(pptx):
        raise SourceError(Diagnostic(f"no such file: {pptx}"))
    with tempfile.TemporaryDirectory(prefix="tfeic-lo-") as tmp:
        profile = os.path.join(tmp, "profile")
        cmd = [soffice(), f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf", "--outdir", tmp, pptx]
        try:
            proc = subprocess.run(cmd, capture_output=True, timeout=SOFFICE_TIMEOUT_S, text=True)
        except subprocess.TimeoutExpired:
            raise SourceError(Diagnostic(f"LibreOffice did not convert {pptx} within {SOFFICE_TIMEOUT_S} s")) from None
        produced = os.path.join(tmp, os.path.splitext(os.path.basename(pptx))[0] + ".pdf")
        if proc.returncode != 0 or not os.path.isfile(produced):
            raise SourceError(Diagnostic(f"LibreOffice failed to convert {pptx}: {(proc.stderr or proc.stdout).strip()[:300]}"))
        os.makedirs(os.path.dirname(os.path.abspath(pdf)), exist_ok=True)
        shutil.move(produced, pdf)


def png_rasterizer() -> Rasterizer:
    """The tool that turns the PDF's pages into PNGs: PyMuPDF when it imports, else poppler's
    ``pdftoppm``. Called before LibreOffice runs, so a missing tool costs no conversion."""
    try:
        import fitz
    except ImportError:
        exe = shutil.which("pdftoppm")
        if exe:
            return functools.partial(_pdftoppm_pngs, exe)
        raise SourceError(Diagnostic(
            "PNG previews need poppler's pdftoppm or PyMuPDF, and neither is installed",
            hint="apt-get install poppler-utils (scripts/setup.sh does), or pip install 'tfeic[preview]'")) from None
    return functools.partial(_pymupdf_pngs, fitz)


def _pymupdf_pngs(fitz, pdf: str, out_dir: str, dpi: int) -> list[str]:
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    with fitz.open(pdf) as doc:
        for i, page in enumerate(doc, start=1):
            path = os.path.join(out_dir, f"slide-{i:03d}.png")
            page.get_pixmap(dpi=dpi).save(path)
            paths.append(path)
    return paths


def _pdftoppm_pngs(exe: str, pdf: str, out_dir: str, dpi: int) -> list[str]:
    """``pdftoppm -png -r DPI PDF ROOT`` names page N ``ROOT-N.png`` with N zero-padded to the digits of
    the page count (poppler, utils/pdftoppm.cc, main(): ``sprintf(ppmFile, "%s%s%0*d.%s", ppmRoot, sep,
    pg_num_len, pg, ext)``); the pages are renamed to the ``slide-NNN.png`` that PyMuPDF's path writes."""
    os.makedirs(out_dir, exist_ok=True)
    work = os.path.join(out_dir, ".pdftoppm")
    os.makedirs(work)
    try:
        proc = subprocess.run([exe, "-png", "-r", str(dpi), pdf, os.path.join(work, "page")],
                              capture_output=True, text=True, timeout=PDFTOPPM_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise SourceError(Diagnostic(f"pdftoppm did not rasterize {pdf} within {PDFTOPPM_TIMEOUT_S} s")) from None
    if proc.returncode != 0:
        raise SourceError(Diagnostic(f"pdftoppm failed on {pdf}: {(proc.stderr or proc.stdout).strip()[:300]}"))
    pages = {int(m.group(1)): name for name in os.listdir(work) if (m := re.fullmatch(r"page-(\d+)\.png", name))}
    paths = []
    for number in sorted(pages):
        path = os.path.join(out_dir, f"slide-{number:03d}.png")
        os.replace(os.path.join(work, pages[number]), path)
        paths.append(path)
    os.rmdir(work)
    return paths


def contact_sheet(pngs: list[str], out: str, columns: int = 4, thumb_width: int = 320, pad: int = 8) -> None:
    """Every slide at thumbnail size in one PNG, numbered in reading order."""
    from PIL import Image, ImageDraw

    thumbs = []
    for path in pngs:
        with Image.open(path) as im:
            ratio = thumb_width / im.width
            thumbs.append(im.convert("RGB").resize((thumb_width, round(im.height * ratio))))
    if not thumbs:
        raise SourceError(Diagnostic("no slides to put on a contact sheet"))
    th = max(t.height for t in thumbs)
    rows = -(-len(thumbs) // columns)
    sheet = Image.new("RGB", (columns * (thumb_width + pad) + pad, rows * (th + pad + 14) + pad), "white")
    draw = ImageDraw.Draw(sheet)
    for i, thumb in enumerate(thumbs):
        x = pad + (i % columns) * (thumb_width + pad)
        y = pad + (i // columns) * (th + pad + 14)
        sheet.paste(thumb, (x, y + 14))
        draw.text((x, y), str(i + 1), fill="black")
    sheet.save(out)
