"""``word_count``: counts of a text file, an example of a plugin source.

A source turns a deck's ``sources:`` entry into a plain value; it never builds slides. Listing the
file in ``inputs`` lets tfeic hash it (incremental builds, the reproducibility slide) and watch it.
"""

from __future__ import annotations

from dataclasses import dataclass

from tfeic.core.diagnostics import Diagnostic, SourceError
from tfeic.sources import Source


@dataclass(frozen=True)
class WordCountValue:
    words: int
    lines: int
    longest: str


class WordCount(Source):
    name = "word_count"
    summary = "Words, lines and the longest word of a UTF-8 text file (example plugin)."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["path"],
        "properties": {"path": {"type": "string", "description": "Text file, relative to the deck."}},
    }

    def load(self, spec, ctx) -> WordCountValue:
        path = ctx.path(spec, "path")  # missing file -> SourceError at the YAML position of `path`
        try:
            with open(path, encoding="utf-8") as f:
                text = f.read()
        except UnicodeDecodeError as e:
            raise SourceError(Diagnostic(f"{spec.options['path']} is not UTF-8 text: {e.reason}", spec.pos_of("path"))) from None
        return _count(text)

    def synthetic(self, spec, ctx) -> WordCountValue:
        return _count("a deterministic stand-in text for dry runs")

    def inputs(self, spec, ctx) -> list[str]:
        return [ctx.path(spec, "path")]


def _count(text: str) -> WordCountValue:
    words = text.split()
    return WordCountValue(len(words), len(text.splitlines()), max(words, key=len, default=""))
