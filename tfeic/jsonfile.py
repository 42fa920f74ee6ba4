"""Reading a JSON data file that a user handed us: every way it can be broken is one SourceError
at the file (and, for syntax errors, the line and column), never a traceback.

Used by every reader of a whole JSON document (snapshots, KV sidecars, engine configs, NVTX JSON);
streaming readers of large traces have their own parser (``tfeic.timeline.chrome``). The file is
read through ``tfeic.datafile`` (a regular file, under the size, inflation and time limits).
"""

from __future__ import annotations

import json
from typing import Any

from .datafile import InputLimits, read_data
from .diagnostics import Diagnostic, Pos, SourceError


def parse_json(text: str, path: str, what: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(Diagnostic(f"{what} is not valid JSON: {e.msg}", Pos(path, e.lineno, e.colno))) from None
    except RecursionError:
        raise SourceError(Diagnostic(f"{what}: JSON nested deeper than the parser allows", Pos(path))) from None


def load_json_file(path: str, what: str, limits: InputLimits | None = None, gunzip: bool = False) -> Any:
    """``what`` names the file in messages ("snapshot", "engine config", ...)."""
    return parse_json(read_data(path, what=what, limits=limits, gunzip=gunzip), path, what)
