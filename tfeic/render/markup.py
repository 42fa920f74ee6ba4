"""Escaping text for the XML render writes as strings, exactly as lxml serialises it.

Render writes slide, notes and package XML as strings (building lxml trees for a few hundred thousand
elements per deck was most of a build's time). The bytes stay those lxml gave when render built
trees: element text escapes ``& < >`` and carriage return, attribute values also ``"`` and the three
whitespace controls (libxml2's ``xmlEscapeEntities`` / ``xmlAttrSerializeTxtContent`` rules). Every
string reaching here passed ``xmltext.xml_safe`` first, so no character XML cannot hold arrives.
"""

from __future__ import annotations

_TEXT = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"})

XML_DECLARATION = "<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"  # what lxml writes with standalone=True
NAMESPACES = {
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "p": "http://schemas.openxmlformats.org/presentationml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
}


def text(value: str) -> str:
    """``value`` as element content."""
    return value.translate(_TEXT)


def attr(value: str) -> str:
    """``value`` as a double-quoted attribute value."""
    return value.translate(_ATTR)


def nsdecls(*prefixes: str) -> str:
    """``xmlns:p="..."`` declarations for ``prefixes``, in the order given."""
    return " ".join(f'xmlns:{prefix}="{NAMESPACES[prefix]}"' for prefix in prefixes)
