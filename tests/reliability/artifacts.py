"""Everything a build leaves behind, as text, so a test can search all of it at once."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path


def pptx_text(path: Path) -> str:
    """Every part of a .pptx (slides, notes, charts, document properties) as one string."""
    with zipfile.ZipFile(path) as z:
        return "\n".join(z.read(name).decode("utf-8", "replace") for name in z.namelist())


def all_text(root: Path, *streams: str) -> str:
    """Every file under ``root`` (.pptx files unzipped) plus ``streams`` (captured stdout/stderr)."""
    parts = list(streams)
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        parts.append(pptx_text(path) if path.suffix == ".pptx" else path.read_bytes().decode("utf-8", "replace"))
    return "\n".join(parts)


def xml_parts(pptx: bytes) -> dict[str, bytes]:
    """Every XML part of a .pptx (relationship parts included) by zip entry name, and every XML part
    of each embedded workbook as ``ppt/embeddings/Book.xlsx!xl/workbook.xml``."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(pptx)) as archive:
        for name in archive.namelist():
            if name.endswith((".xml", ".rels")):
                parts[name] = archive.read(name)
            elif name.endswith(".xlsx"):
                parts.update({f"{name}!{inner}": data for inner, data in xml_parts(archive.read(name)).items()})
    return parts
