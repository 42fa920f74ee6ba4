"""Characters some destination cannot hold, defined once for every stage that meets them.

- ``XML_ILLEGAL``: what a .pptx part cannot hold (XML 1.0 forbids C0 controls but tab, LF and CR,
  U+FFFE, U+FFFF and surrogates) or what renderers draw as an arbitrary stand-in (DEL, C1 controls).
  Render writes each as U+FFFD (``tfeic.render.xmltext``) and layout measures each as that U+FFFD
  (``tfeic.layout.fonts``): one set, so what is proven is what is drawn.
- ``LONE_SURROGATE``: what no UTF-8 file can hold (a ``"\\ud800"`` escape in JSON or YAML decodes to
  one); files tfeic writes (snapshots, proofs) hold U+FFFD in its place, as the .pptx does.
"""

from __future__ import annotations

import re

REPLACEMENT = "\ufffd"
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with each lone surrogate replaced by U+FFFD (it can then be encoded as UTF-8)."""
    return LONE_SURROGATE.sub(REPLACEMENT, text)
