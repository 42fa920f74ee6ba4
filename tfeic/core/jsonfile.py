"""Reading a JSON data file that a user handed us: every way it can be broken is one SourceError
at the file (and, for syntax errors, the line and column), never a traceback.

Used by every reader of a whole JSON document (snapshots, KV sidecars, engine configs, NVTX JSON,
tables, KV events); streaming readers of large traces have their own parser (``tfeic.domains.timeline.chrome``).
The file is read through ``tfeic.core.datafile`` (a regular file, under the size, inflation and time limits).

Numbers are bounded as they are parsed (``DECODER``): an integer of more than ``MAX_INT_DIGITS``
digits or a number beyond the range of a double (``1e999``) is ``NumberOutOfRange``. No quantity a
reader uses comes near (ns timestamps and byte counts have about 20 digits, 128-bit hashes 39), and
without the bound such a number ends in an OverflowError wherever it meets a float, or in Python's
4300-digit ValueError in the parser itself.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .datafile import InputLimits, read_data
from .diagnostics import Diagnostic, Pos, SourceError


MAX_INT_DIGITS = 40


class NumberOutOfRange(ValueError):
    """A JSON number no reader can use; the message says which."""


def _int(text: str) -> int:
    digits = len(text) - text.startswith("-")
    if digits > MAX_INT_DIGITS:
        raise NumberOutOfRange(f"an integer of {digits} digits is out of range (the limit is {MAX_INT_DIGITS} digits)")
    return int(text)


def _float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise NumberOutOfRange(f"the number {text[:20]}{'...' if len(text) > 20 else ''} is beyond the range of a double")
    return value


#: ``json.JSONDecoder`` with numbers bounded as the module docstring says (NaN and Infinity, which
#: Python's own writer emits, stay accepted: readers that compute with a value check it is finite)
DECODER = json.JSONDecoder(parse_int=_int, parse_float=_float)


def loads(text: str) -> Any:
    """``json.loads`` through ``DECODER``: also raises NumberOutOfRange."""
    return DECODER.decode(text)


def parse_json(text: str, path: str, what: str) -> Any:
    try:
        return loads(text)
    except json.JSONDecodeError as e:
        raise SourceError(Diagnostic(f"{what} is not valid JSON: {e.msg}", Pos(path, e.lineno, e.colno))) from None
    except NumberOutOfRange as e:
        raise SourceError(Diagnostic(f"{what}: {e}", Pos(path))) from None
    except RecursionError:
        raise SourceError(Diagnostic(f"{what}: JSON nested deeper than the parser allows", Pos(path))) from None


def load_json_file(path: str, what: str, limits: InputLimits | None = None, gunzip: bool = False) -> Any:
    """``what`` names the file in messages ("snapshot", "engine config", ...)."""
    return parse_json(read_data(path, what=what, limits=limits, gunzip=gunzip), path, what)
