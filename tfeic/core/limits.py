"""The deck's ``limits`` section: its JSON Schema (names, defaults, descriptions) and the lookup.

A core module rather than part of the spec stage because every stage reads a limit: data-file readers
(``datafile.InputLimits``), sources (``trace_spans``) and directives (``hex_pages``, ``slide_rows``)
sit below or beside the spec stage and must not import it. The spec stage embeds ``LIMITS`` in the
deck schema; docs/reliability.md lists every limit.
"""

from __future__ import annotations

from typing import Any

LIMITS: dict[str, Any] = {
    "type": "object",
    "description": "Caps that keep a build bounded (docs/reliability.md lists every limit).",
    "additionalProperties": False,
    "properties": {
        "hex_pages": {"type": "integer", "minimum": 1, "default": 200,
                      "description": "Most slides one hex dump may paginate to."},
        "image_pixels": {"type": "integer", "minimum": 1, "default": 89_478_485,
                         "description": "Most pixels (width x height) of a picture: larger is refused as a "
                                        "possible decompression bomb (default: Pillow's MAX_IMAGE_PIXELS)."},
        "trace_spans": {"type": "integer", "minimum": 1, "default": 200_000,
                        "description": "Most spans a timeline slide loads from its trace window."},
        "input_bytes": {"type": "integer", "minimum": 1, "default": 1 << 30,
                        "description": "Most bytes of a data file read whole (tables, logs, JSON files, prompt "
                                       "files), counted after decompression."},
        "trace_bytes": {"type": "integer", "minimum": 1, "default": 64 << 30,
                        "description": "Most bytes of a trace read as a stream (Chrome/Kineto, nsys JSON, "
                                       "nsys SQLite), counted after decompression."},
        "inflate_ratio": {"type": "integer", "minimum": 1, "default": 100,
                          "description": "Most bytes a gzip data file may inflate to per compressed byte, "
                                         "beyond its first 64 MiB (a decompression bomb is refused)."},
        "read_seconds": {"type": "integer", "minimum": 1, "default": 600,
                         "description": "Wall-clock seconds within which each data file must be read."},
        "table_rows": {"type": "integer", "minimum": 1, "default": 100_000,
                       "description": "Most rows read from a table source's file."},
        "slide_rows": {"type": "integer", "minimum": 1, "default": 1_000,
                       "description": "Most rows of a table source that one chart or table slide draws."},
    },
}


def limit(options: dict, name: str) -> int:
    """The deck's ``limits.<name>`` (``options`` are the deck's top-level fields), else its default."""
    return int((options.get("limits") or {}).get(name, LIMITS["properties"][name]["default"]))
