"""NVTX JSON: ranges users log themselves (``schemas/nvtx.schema.json``), e.g. the seed tool's
``--timeline-json``. Small by nature, so it is read whole and validated against its schema."""

from __future__ import annotations

import json
from typing import Iterator

from ...core.datafile import InputLimits
from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.jsonfile import load_json_file
from ...core.resources import schema_path
from .events import Event

SCHEMA_PATH = schema_path("nvtx.schema.json")


def events(path: str, limits: InputLimits | None = None) -> Iterator[Event]:
    import jsonschema

    doc = load_json_file(path, "NVTX JSON", limits, gunzip=True)
    with open(SCHEMA_PATH, encoding="utf-8") as f:
        schema = json.load(f)
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise SourceError(Diagnostic(f"NVTX JSON {where}: {error.message}", Pos(path), hint="see schemas/nvtx.schema.json"))
    for i, r in enumerate(doc["ranges"]):
        if r["end"] < r["start"]:
            raise SourceError(Diagnostic(f"NVTX JSON ranges/{i} ({r['name']}) ends before it starts", Pos(path)))
        yield Event("range", r["name"], r["start"], r["end"])
