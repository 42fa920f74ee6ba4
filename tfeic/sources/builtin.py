"""Imports every module that holds a built-in source, so that each registers itself: each domain's in
``tfeic/domains/<domain>/sources/`` (and any generic one in this package).

A new built-in is one new module with a ``@SOURCES.register`` class; nothing else to edit.
"""

from ..core.registry import import_builtins

import_builtins("tfeic.sources", "sources")
