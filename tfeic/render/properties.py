"""Document properties: what the deck says about itself, and nothing that changes between builds.

The default template carries python-pptx's own author, description and 2013 timestamps; all are
overwritten. Created and modified both come from the deck (the CLI fills ``PlacedDeck.created``),
so rebuilding an unchanged deck gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..core.diagnostics import Diagnostic, SpecError
from ..layout.placed import PlacedDeck

EPOCH = datetime(1980, 1, 1, tzinfo=timezone.utc)  # used when the deck names no time; matches the zip


def set_document_properties(core, deck: PlacedDeck) -> None:
    """Fill python-pptx's ``CoreProperties`` from ``deck``."""
    stamp = _timestamp(deck.created)
    core.title = deck.title
    core.author = deck.author
    core.last_modified_by = deck.author
    core.comments = ""
    core.subject = ""
    core.keywords = ""
    core.category = ""
    core.revision = 1
    core.created = stamp
    core.modified = stamp


def _timestamp(created: str) -> datetime:
    """``created`` (ISO 8601) as naive UTC, the form python-pptx writes with a ``Z``."""
    if not created:
        return EPOCH.replace(tzinfo=None)
    try:
        value = datetime.fromisoformat(created)
    except ValueError as err:
        raise SpecError(
            Diagnostic(f"created time {created!r} is not an ISO 8601 timestamp", hint="e.g. 2024-05-01T12:00:00Z")
        ) from err
    if value.tzinfo is not None:
        value = value.astimezone(timezone.utc)
    return value.replace(tzinfo=None)
