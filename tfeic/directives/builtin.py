"""Imports every module that holds a built-in directive, so that each registers itself: the generic
ones in this package and each domain's in ``tfeic/domains/<domain>/directives/``.

A new built-in is one new module with a ``@DIRECTIVES.register`` class; nothing else to edit.
"""

from ..core.registry import import_builtins

import_builtins("tfeic.directives", "directives")
