"""Speaker notes: a notes slide per slide that has notes, on the deck's notes master.

The notes slide is python-pptx's (``NotesSlidePart.new``): its ``notes.xml`` template, the master's
slide image, body and slide-number placeholders cloned into it (``NotesSlide.clone_master_placeholders``,
named as ``NotesSlideShapes.ph_basename`` names them), and the notes as the body's text, one paragraph per
line (``TextFrame.text``).
"""

from __future__ import annotations

import re

from .markup import text
from .package import Placeholder

CLONED = ("sldImg", "body", "sldNum")
BASENAMES = {"body": "Notes Placeholder", "dt": "Date Placeholder", "ftr": "Footer Placeholder",
             "hdr": "Header Placeholder", "sldImg": "Slide Image Placeholder", "sldNum": "Slide Number Placeholder"}
HEAD = ('<?xml version=\'1.0\' encoding=\'UTF-8\' standalone=\'yes\'?>\n<p:notes xmlns:a="http://schemas.openxmlformats.org/'
        'drawingml/2006/main" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main" xmlns:r="http://'
        'schemas.openxmlformats.org/officeDocument/2006/relationships"><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" '
        'name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/>'
        '<a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>')
TAIL = "</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:notes>"
_CONTROL = re.compile(r"([\x00-\x08\x0B-\x1F])")  # python-pptx writes these as _xHHHH_ in a run's text


def notes_slide_xml(master: tuple[Placeholder, ...], notes: str) -> bytes:
    """The notes slide holding ``notes``, on a master with placeholders ``master``."""
    shapes, names = [], set()
    for shape_id, placeholder in enumerate((p for p in master if p.type in CLONED), 2):
        number = shape_id - 1
        while f"{BASENAMES[placeholder.type]} {number}" in names:
            number += 1
        name = f"{BASENAMES[placeholder.type]} {number}"
        names.add(name)
        body = f"<p:txBody><a:bodyPr/><a:lstStyle/>{_paragraphs(notes)}</p:txBody>" if placeholder.type == "body" else ""
        shapes.append(f'<p:sp><p:nvSpPr><p:cNvPr id="{shape_id}" name="{name}"/><p:cNvSpPr><a:spLocks noGrp="1"/>'
                      f"</p:cNvSpPr><p:nvPr>{placeholder.ph_xml()}</p:nvPr></p:nvSpPr><p:spPr/>{body}</p:sp>")
    return (HEAD + "".join(shapes) + TAIL).encode()


def _paragraphs(notes: str) -> str:
    """A paragraph per line; a vertical tab is a line break (python-pptx ``CT_TextParagraph.append_text``)."""
    out = []
    for line in notes.split("\n"):
        runs = []
        for index, piece in enumerate(line.split("\v")):
            if index:
                runs.append("<a:br/>")
            if piece:
                escaped = _CONTROL.sub(lambda m: "_x%04X_" % ord(m.group(1)), piece)
                runs.append(f"<a:r><a:t>{text(escaped)}</a:t></a:r>")
        out.append(f"<a:p>{''.join(runs)}</a:p>" if runs else "<a:p/>")
    return "".join(out)
