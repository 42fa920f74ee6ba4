"""Validating every XML part of a .pptx against the ISO/IEC 29500 schemas committed in ``xsd/``.

Each part is checked against the schema of its root element's namespace: PresentationML parts
(presentation, slides, layouts, masters, notes, properties) against the transitional ``pml.xsd``,
the theme and table styles against ``dml-main.xsd``, charts against ``dml-chart.xsd``, the
extended properties (``docProps/app.xml``) against ``shared-documentPropertiesExtended.xsd``, and
the package's own parts (content types, relationships, core properties) against the OPC schemas of
part 2, and the parts of every embedded chart workbook the same way (SpreadsheetML against
``sml.xsd``). The schemas import each other by file name; the two that name a web address (the Dublin
Core schemas, imported by the core-properties schema) are served from ``xsd/`` by ``LocalSchemas``, so
validation never touches the network.
"""

from __future__ import annotations

import functools
from pathlib import Path

from lxml import etree
from reliability.artifacts import xml_parts  # tests/ is on sys.path (its conftest.py)

XSD = Path(__file__).resolve().parent / "xsd"

SCHEMAS = {  # root namespace -> schema file
    "http://schemas.openxmlformats.org/presentationml/2006/main": "pml.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/chart": "dml-chart.xsd",
    "http://schemas.openxmlformats.org/spreadsheetml/2006/main": "sml.xsd",
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": "shared-documentPropertiesExtended.xsd",
    "http://schemas.openxmlformats.org/package/2006/content-types": "opc-contentTypes.xsd",
    "http://schemas.openxmlformats.org/package/2006/relationships": "opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": "opc-coreProperties.xsd",
}

# Imports that name a web address instead of a file next to the importing schema.
CATALOGUE = {
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dc.xsd": "dc.xsd",
    "http://dublincore.org/schemas/xmls/qdc/2003/04/02/dcterms.xsd": "dcterms.xsd",
    "http://www.w3.org/2001/xml.xsd": "xml.xsd",
}


class LocalSchemas(etree.Resolver):
    """Resolves the catalogue's web addresses to the committed files; anything else not found
    locally fails (``no_network`` on the parser), so a missing schema is an error, not a download."""

    def resolve(self, system_url, public_id, context):
        name = CATALOGUE.get(system_url)
        if name is not None:
            return self.resolve_filename(str(XSD / name), context)
        return None


@functools.lru_cache(maxsize=None)
def schema(name: str) -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(LocalSchemas())
    return etree.XMLSchema(etree.parse(str(XSD / name), parser))


def schema_errors(pptx: bytes) -> list[str]:
    """One line per schema violation in any XML part: ``part:line: message``."""
    errors = []
    for name, data in xml_parts(pptx).items():
        root = etree.fromstring(data)
        namespace = etree.QName(root).namespace
        if namespace not in SCHEMAS:
            errors.append(f"{name}: no schema for the namespace {namespace!r}")
            continue
        validator = schema(SCHEMAS[namespace])
        if not validator.validate(root):
            errors.extend(f"{name}:{e.line}: {e.message}" for e in validator.error_log)
    return errors
