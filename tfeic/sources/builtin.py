"""Imports every module of this package so that each built-in registers itself.

A new built-in is one new module with a ``@REGISTRY.register`` class; nothing else to edit.
"""

import importlib
import pkgutil

from . import __path__ as _package_path

for _info in sorted(pkgutil.iter_modules(_package_path), key=lambda m: m.name):
    if not _info.name.startswith("_") and _info.name != "builtin":
        importlib.import_module(f"{__package__}.{_info.name}")
