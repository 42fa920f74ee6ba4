"""Resolved data as templates may see it: plain values only, converted on first use.

A deck's templates (``{{ sources.kv.geometry.layers }}``) are written by whoever wrote the deck, and
the deck folder is untrusted. Handing them the live objects the sources resolved to would hand them
every method of those objects (``sources.kv.data.tofile('/any/path')`` writes a file through
numpy). So a template sees only dicts, lists, strings, numbers, booleans and None:

- a dataclass becomes a read-only mapping (``Record``) of its public fields and properties, plus the
  methods its class marks with ``@template_method`` (pure functions of the data, e.g. a sum);
  other classes expose the attribute names they list in ``template_fields``, else nothing;
- a numpy array becomes ``{"shape", "dtype", "size"}``, with ``"values"`` (nested lists of Python
  numbers) only when it holds at most ``MAX_ARRAY_VALUES`` elements: a 1 GB pool is never copied;
- tuples, lists and sets become lists (sets sorted), enums their names, paths and dates strings;
- anything else is None (a live object such as an open database handle has no plain form).

Records convert a field only when a template reads it, so a deck whose templates never touch a big
source pays nothing for it; a sequence longer than ``MAX_ITEMS`` is refused when read.
"""

from __future__ import annotations

import dataclasses
import datetime
import enum
import os
import sys
from collections.abc import Iterator, Mapping
from typing import Any, Callable

#: a sequence (or mapping) from the data longer than this is refused when a template reads it
MAX_ITEMS = 100_000
#: a numpy array with more elements is shown only as its shape, dtype and size
MAX_ARRAY_VALUES = 4096

_MARK = "__tfeic_template_method__"


def template_method(fn: Callable) -> Callable:
    """Mark a method that templates may call: it must only compute from the object's data."""
    setattr(fn, _MARK, True)
    return fn


class TooLarge(ValueError):
    """A value from the data is too large for a template to read."""


class TemplateMethod:
    """A method marked ``@template_method``, bound to its object; arguments and result are plain."""

    __slots__ = ("_fn", "_obj", "name")

    def __init__(self, fn: Callable, obj: Any):
        self._fn, self._obj, self.name = fn, obj, fn.__name__

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return plain(self._fn(self._obj, *args, **kwargs))

    def __repr__(self) -> str:
        return f"<method {self.name}>"


class Record(Mapping):
    """A read-only mapping of names to values converted on first read (then remembered)."""

    __slots__ = ("_getters", "_values")

    def __init__(self, getters: dict[str, Callable[[], Any]]):
        self._getters = getters
        self._values: dict[str, Any] = {}

    def __getitem__(self, key: str) -> Any:
        if key not in self._values:
            self._values[key] = plain(self._getters[key]())  # KeyError for an unknown name
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._getters)

    def __len__(self) -> int:
        return len(self._getters)

    def __contains__(self, key: object) -> bool:
        return key in self._getters

    def __eq__(self, other: object) -> bool:
        return self is other

    __hash__ = object.__hash__

    def __repr__(self) -> str:
        return repr(dict(self))


def record_of(mapping: Mapping[str, Any]) -> Record:
    """A ``Record`` over a mapping (e.g. every resolved source by name), each value converted when read."""
    if isinstance(mapping, Record):
        return mapping
    return Record({str(k): _constant(v) for k, v in mapping.items()})


def plain(value: Any) -> Any:
    """``value`` as plain data (see the module docstring)."""
    if isinstance(value, enum.Enum):
        return value.name
    if value is None or isinstance(value, (bool, int, float, Record, TemplateMethod)):
        return value
    if isinstance(value, str):
        return str(value)
    if isinstance(value, (os.PathLike, datetime.date, datetime.time)):
        return os.fspath(value) if isinstance(value, os.PathLike) else value.isoformat()
    if _is_numpy(value):
        return _numpy_summary(value)
    if isinstance(value, Mapping):
        _check_items(value)
        return {_key(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        _check_items(value)
        return [plain(v) for v in (sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value)]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _record(value, [f.name for f in dataclasses.fields(value)])
    names = getattr(type(value), "template_fields", None)
    return _record(value, list(names)) if isinstance(names, tuple) else None


def _record(obj: Any, fields: list[str]) -> Record:
    """Public ``fields``, then public properties and ``@template_method`` methods of ``obj``'s class."""
    getters: dict[str, Callable[[], Any]] = {}
    for name in fields:
        if not name.startswith("_"):
            getters[name] = _attribute(obj, name)
    for cls in type(obj).__mro__:
        for name, attr in vars(cls).items():
            if name.startswith("_") or name in getters:
                continue
            if isinstance(attr, property):
                getters[name] = _attribute(obj, name)
            elif getattr(attr, _MARK, False):
                getters[name] = _method(attr, obj)
    return Record(getters)


# getters for ``Record``, each closing over its own values (a lambda in a loop would share them)
def _constant(value: Any) -> Callable[[], Any]:
    return lambda: value


def _attribute(obj: Any, name: str) -> Callable[[], Any]:
    return lambda: getattr(obj, name)


def _method(attr: Callable[..., Any], obj: Any) -> Callable[[], TemplateMethod]:
    return lambda: TemplateMethod(attr, obj)


def _is_numpy(value: Any) -> bool:
    """Whether ``value`` is a numpy scalar or array (numpy is imported by whatever made one)."""
    np = sys.modules.get("numpy")
    return np is not None and isinstance(value, (np.generic, np.ndarray))


def _numpy_summary(value: Any) -> Any:
    """A numpy scalar as a Python number; an array as its shape, dtype and size (values if small)."""
    if value.ndim == 0:
        return plain(value.item())
    summary = {"shape": list(value.shape), "dtype": str(value.dtype), "size": int(value.size)}
    if value.size <= MAX_ARRAY_VALUES and value.dtype.kind in "biuf":
        summary["values"] = value.tolist()
    return summary


def _check_items(value) -> None:
    if len(value) > MAX_ITEMS:
        raise TooLarge(f"a value of the data holds {len(value)} items, more than templates may read ({MAX_ITEMS})")


def _key(key: Any) -> Any:
    return key if isinstance(key, (str, int, float, bool)) or key is None else str(plain(key))
