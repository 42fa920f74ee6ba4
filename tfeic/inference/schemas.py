"""JSON Schema validators for the inference file formats (``schemas/snapshot.schema.json`` and
``schemas/probe.schema.json``, which the snapshot schema references for probes and statistics)."""

from __future__ import annotations

import functools
import json
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parents[2] / "schemas"
NAMES = ("probe.schema.json", "snapshot.schema.json")


@functools.cache
def validator(name: str):
    """A Draft 2020-12 validator for ``schemas/<name>`` that resolves references between the two files."""
    import jsonschema
    from referencing import Registry, Resource

    docs = {n: json.loads((SCHEMA_DIR / n).read_text(encoding="utf-8")) for n in NAMES}
    registry = Registry().with_resources((d["$id"], Resource.from_contents(d)) for d in docs.values())
    return jsonschema.Draft202012Validator(docs[name], registry=registry)
