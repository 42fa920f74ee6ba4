"""The deck JSON Schema, assembled from the directive and source registries.

One schema serves three readers: ``validate`` (which checks the envelope, then each slide/source
against its own fragment for precise messages), editors (yaml-language-server reads the generated
``schemas/deck.schema.json`` through the modeline
``# yaml-language-server: $schema=../schemas/deck.schema.json``), and ``tfeic schema --check`` in CI,
which fails when a directive's options changed but the checked-in file was not regenerated.

Directive fragments describe only their own options; the fields every slide has (kind, title,
notes, layout) and every source has (kind, provenance, optional) are added here, and unknown options are rejected unless the fragment says otherwise.
Fragments must be self-contained (no ``$ref`` to the deck schema's root).
"""

from __future__ import annotations

import json

from ..core.limits import LIMITS
from ..core.provenance import PROVENANCE_SCHEMA
from ..core.registry import Registry
from ..core.resources import schema_path

SCHEMA_ID = "https://tfeic.dev/schemas/deck.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
DEFAULT_PATH = schema_path("deck.schema.json")

NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_-]*$"  # no dots, so ``--set sources.<name>.field`` stays unambiguous
# The longest title or author python-pptx writes into a document property (it refuses longer ones):
# a longer one is a spec error at its line, not a crash.
CORE_PROPERTY_LENGTH = 255

SLIDE_FIELDS = {
    "title": {"type": "string", "description": "Slide title (Jinja2 template over the slide's data)."},
    "notes": {"type": "string", "description": "Speaker notes."},
    "layout": {"type": "string", "description": "A layout name from the theme (default: the directive's)."},
}

def item_schema(kind: str, fragment: dict, common: dict) -> dict:
    """A directive's or source's fragment plus ``kind`` and the common fields; unknown keys rejected."""
    schema = dict(fragment)
    schema["type"] = "object"
    schema["properties"] = {"kind": {"const": kind}, **common, **fragment.get("properties", {})}
    schema["required"] = ["kind", *[r for r in fragment.get("required", []) if r != "kind"]]
    if "additionalProperties" not in fragment and "patternProperties" not in fragment:
        schema["additionalProperties"] = False
    return schema


def slide_schema(directive) -> dict:
    return item_schema(directive.name, directive.schema, SLIDE_FIELDS)


SOURCE_FIELDS: dict[str, dict] = {
    "provenance": PROVENANCE_SCHEMA,
    "optional": {"type": "boolean", "default": False,
                 "description": "Leave this source out, with the slides that read it, when the deck is built without "
                                "--dry-run and a field its kind requires was not given (by the deck, --set or a "
                                "TFEITool shorthand such as --qdrep); with --dry-run it is synthetic as usual."},
}


def source_schema(source) -> dict:
    return item_schema(source.name, source.schema, SOURCE_FIELDS)


def envelope(slide: dict, source: dict) -> dict:
    """The top level of a deck, with ``slide`` and ``source`` as the schemas of list items/map values."""
    return {
        "type": "object",
        "required": ["title"],
        "additionalProperties": False,
        "properties": {
            "title": {"type": "string", "maxLength": CORE_PROPERTY_LENGTH,
                      "description": "Deck title (document properties, cover)."},
            "author": {"type": "string", "maxLength": CORE_PROPERTY_LENGTH},
            "date": {"type": "string", "format": "date", "description": "ISO date for the document properties."},
            "theme": {"type": "string", "default": "light", "description": "A theme name or a path to a theme file."},
            "sources": {
                "type": "object",
                "description": "Named data sources; slides refer to them by name.",
                "propertyNames": {"pattern": NAME_PATTERN},
                "additionalProperties": source,
            },
            "slides": {"type": "array", "items": slide},
            "limits": LIMITS,
        },
    }


def _dispatch(items, ref_prefix: str) -> dict:
    """A ``kind``-keyed union: completions with summaries, and if/then so editors check the options."""
    kinds = [{"const": item.name, "description": item.summary} for item in items]
    return {
        "type": "object",
        "required": ["kind"],
        "properties": {"kind": {"oneOf": kinds} if kinds else {"type": "string"}},
        "allOf": [
            {
                "if": {"properties": {"kind": {"const": item.name}}, "required": ["kind"]},
                "then": {"$ref": f"#/$defs/{ref_prefix}.{item.name}"},
            }
            for item in items
        ],
    }


def deck_schema(directives: Registry, sources: Registry) -> dict:
    """The complete deck schema (JSON Schema 2020-12) for these directives and sources (the caller
    passes the registries: the directive and source packages sit above this stage)."""
    defs = {"slide": _dispatch(list(directives), "slide"), "source": _dispatch(list(sources), "source")}
    defs.update({f"slide.{d.name}": slide_schema(d) for d in directives})
    defs.update({f"source.{s.name}": source_schema(s) for s in sources})
    return {
        "$schema": DRAFT,
        "$id": SCHEMA_ID,
        "title": "tfeic deck",
        **envelope({"$ref": "#/$defs/slide"}, {"$ref": "#/$defs/source"}),
        "$defs": defs,
    }


def schema_text(directives: Registry, sources: Registry) -> str:
    """The schema as written to disk: stable key order and a final newline, so diffs stay small."""
    return json.dumps(deck_schema(directives, sources), indent=2, ensure_ascii=False) + "\n"


def check_schema(path: str, *, directives: Registry, sources: Registry) -> bool:
    """True when the file at ``path`` is exactly what ``tfeic schema`` would write now."""
    try:
        with open(path, encoding="utf-8") as f:
            return f.read() == schema_text(directives, sources)
    except OSError:
        return False
