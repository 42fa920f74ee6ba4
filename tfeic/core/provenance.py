"""Where a source's data came from (its *mode*), in the words the slides use.

A deck shows numbers; the audience should know whether they were measured. Every source has one
mode per build, which the reproducibility slide lists and which puts a badge on every slide built
from data that was not measured in this build or captured from a real run:

- ``synthetic``: ``--dry-run`` replaced the source by its deterministic twin (badge);
- ``live`` / ``recorded``: a server asked during this build (``--live``; ``--record`` also keeps it);
- ``replayed``: a server's recorded exchange, replayed from its snapshot (badge);
- ``captured`` (the default a deck may override): files written by the tool they come from;
- ``constructed``: written by hand in the tool's format, not output of a real run (badge);
- ``transcribed``: typed in from a publication (the slide cites it).

A deck declares the last three with a source's ``provenance:`` field; the others follow from the
build's flags and the files present, so they cannot be declared wrongly.
"""

from __future__ import annotations

SYNTHETIC = "synthetic"
LIVE = "live"
RECORDED = "recorded"
REPLAYED = "replayed"
CAPTURED = "captured"
CONSTRUCTED = "constructed"
TRANSCRIBED = "transcribed"

#: what a deck may write in a source's ``provenance:`` field, the default first
DECLARED = (CAPTURED, CONSTRUCTED, TRANSCRIBED)

#: how the reproducibility slide states each mode
DESCRIPTIONS = {
    SYNTHETIC: "synthetic (--dry-run stand-in)",
    LIVE: "live (asked during this build)",
    RECORDED: "recorded (asked during this build, snapshot kept)",
    REPLAYED: "replayed (an earlier recorded exchange)",
    CAPTURED: "captured (written by the tool it comes from)",
    CONSTRUCTED: "constructed (hand-made in the tool's format, not a real run)",
    TRANSCRIBED: "transcribed (typed in from a publication)",
}

#: the words of a slide's badge, for the modes that get one, in the order they are shown
BADGES = {
    SYNTHETIC: "synthetic data (--dry-run)",
    CONSTRUCTED: "constructed data",
    REPLAYED: "replayed recording",
}

PROVENANCE_SCHEMA = {
    "enum": list(DECLARED),
    "default": CAPTURED,
    "description": "Where the data came from: captured (written by the tool it comes from), constructed (written by "
                   "hand in the tool's format: every slide using it says so) or transcribed (typed in from a publication).",
}


def declared(options: dict) -> str:
    """The mode a source's ``provenance:`` field declares (``captured`` when absent)."""
    return str(options.get("provenance", CAPTURED))


def badge(modes: tuple[str, ...] | list[str] | set[str]) -> str:
    """The badge text for a slide whose sources have ``modes`` ("" when none needs one)."""
    return " · ".join(words for mode, words in BADGES.items() if mode in modes)
