"""JSON Schema validators for the inference file formats (``schemas/snapshot.schema.json`` and
``schemas/probe.schema.json``, which the snapshot schema references for probes and statistics)."""

from __future__ import annotations

import functools
import json

from ...core.resources import schema_path

NAMES = ("probe.schema.json", "snapshot.schema.json")


@functools.cache
def validator(name: str):
    """A Draft 2020-12 validator for ``schemas/<name>`` that resolves references between the two files."""
    import jsonschema
    from referencing import Registry, Resource

    docs = {}
    for n in NAMES:
        with open(schema_path(n), encoding="utf-8") as f:
            docs[n] = json.load(f)
    registry = Registry().with_resources((d["$id"], Resource.from_contents(d)) for d in docs.values())
    return jsonschema.Draft202012Validator(docs[name], registry=registry)
