"""NVTX JSON: ranges users log themselves (``schemas/nvtx.schema.json``), e.g. the seed tool's
``--timeline-json``. Small by nature, so it is read whole and validated against its schema."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

from ..diagnostics import Diagnostic, Pos, SourceError
from ..jsonfile import load_json_file
from .chrome import open_text
from .events import Event

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "schemas" / "nvtx.schema.json"


def events(path: str) -> Iterator[Event]:
    import jsonschema

    doc = load_json_file(path, "NVTX JSON", open_text)
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise SourceError(Diagnostic(f"NVTX JSON {where}: {error.message}", Pos(path), hint="see schemas/nvtx.schema.json"))
    for i, r in enumerate(doc["ranges"]):
        if r["end"] < r["start"]:
            raise SourceError(Diagnostic(f"NVTX JSON ranges/{i} ({r['name']}) ends before it starts", Pos(path)))
        yield Event("range", r["name"], r["start"], r["end"])
