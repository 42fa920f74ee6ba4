"""Previews of a built deck through LibreOffice headless: PDF, one PNG per slide, a contact sheet.

Lives outside the five compile stages: it reads a finished .pptx, so it can check any deck, and it is
the only module that starts ``soffice``.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

from .core.diagnostics import Diagnostic, SourceError

SOFFICE_TIMEOUT_S = 180


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


def pdf_to_pngs(pdf: str, out_dir: str, dpi: int = 96) -> list[str]:
    fitz = _pymupdf()
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    with fitz.open(pdf) as doc:
        for i, page in enumerate(doc, start=1):
            path = os.path.join(out_dir, f"slide-{i:03d}.png")
            page.get_pixmap(dpi=dpi).save(path)
            paths.append(path)
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


def _pymupdf():
    try:
        import fitz
    except ImportError:
        raise SourceError(Diagnostic("PNG previews need PyMuPDF", hint="pip install 'tfeic[preview]'")) from None
    return fitz
