"""Layout stage: IR slides + theme -> placed boxes (exact EMU rectangles, chosen font sizes) and a
proof that no text overflows, no boxes overlap and nothing leaves the content box.

Only font files are read here; see ``engine`` for the placement rules and ``proof`` for the JSON.
"""

from .engine import Layouter, UnprovenLayout, layout_slides
from .proof import Proof, check, shrink_warnings

__all__ = ["Layouter", "Proof", "UnprovenLayout", "check", "layout_slides", "shrink_warnings"]
