"""Reading a JSON data file that a user handed us: every way it can be broken is one SourceError
at the file (and, for syntax errors, the line and column), never a traceback.

Used by every reader of a whole JSON document (snapshots, KV sidecars, engine configs, NVTX JSON);
streaming readers of large traces have their own parser (``tfeic.timeline.chrome``).
"""

from __future__ import annotations

import json
from typing import IO, Any, Callable

from .diagnostics import Diagnostic, Pos, SourceError


def read_text(path: str, what: str, opener: Callable[[str], IO[str]] | None = None) -> str:
    """The file's text; ``what`` names it in messages ("snapshot", "engine config", ...)."""
    try:
        with (opener(path) if opener else open(path, encoding="utf-8")) as f:
            return f.read()
    except UnicodeDecodeError as e:
        raise SourceError(Diagnostic(f"{what} is not UTF-8 (byte {e.start}: {e.reason})", Pos(path))) from None
    except OSError as e:
        raise SourceError(Diagnostic(f"cannot read {what}: {e.strerror or e}", Pos(path))) from None


def parse_json(text: str, path: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(Diagnostic(f"{what} is not valid JSON: {e.msg}", Pos(path, e.lineno, e.colno))) from None
    except RecursionError:
        raise SourceError(Diagnostic(f"{what}: JSON nested deeper than the parser allows", Pos(path))) from None


def load_json_file(path: str, what: str, opener: Callable[[str], IO[str]] | None = None) -> Any:
    return parse_json(read_text(path, what, opener), path, what)
