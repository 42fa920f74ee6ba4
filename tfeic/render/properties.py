"""Document properties: what the deck says about itself, and nothing that changes between builds.

python-pptx's default template carries its own author, description and 2013 timestamps; the deck's
``docProps/core.xml`` is written whole instead, with the elements in the order python-pptx left them
in that template. Created and modified both come from the deck (the CLI fills ``PlacedDeck.created``),
so rebuilding an unchanged deck gives the same bytes.
"""

from __future__ import annotations

from datetime import datetime, timezone

from ..core.diagnostics import Diagnostic, SpecError
from ..layout.placed import PlacedDeck
from .markup import XML_DECLARATION, text

EPOCH = datetime(1980, 1, 1, tzinfo=timezone.utc)  # used when the deck names no time; matches the zip
CORE_XML = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:title>{title}</dc:title><dc:subject></dc:subject><dc:creator>{author}</dc:creator><cp:keywords></cp:keywords>"
    "<dc:description></dc:description><cp:lastModifiedBy>{author}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified><cp:category></cp:category>'
    "</cp:coreProperties>"
)


def core_properties_xml(deck: PlacedDeck) -> bytes:
    """``docProps/core.xml`` of ``deck``."""
    stamp = timestamp(deck.created).strftime("%Y-%m-%dT%H:%M:%SZ")
    return (XML_DECLARATION + CORE_XML.format(title=text(deck.title), author=text(deck.author), stamp=stamp)).encode()


def timestamp(created: str) -> datetime:
    """``created`` (ISO 8601) as naive UTC."""
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
