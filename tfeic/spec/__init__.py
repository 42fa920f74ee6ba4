"""Spec stage: YAML deck file -> validated ``Deck``; also themes, ``--set`` overrides and templating.

The public names below are imported on first use (PEP 562), for two reasons: ``tfeic.sources`` and
``tfeic.directives`` import ``tfeic.spec.model`` while ``validate`` needs their registries (an eager
import here would be circular), and ``tfeic --version`` should not pay for jsonschema or Jinja2.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load_deck": "validate",
    "load_theme": "themes",
    "list_themes": "themes",
    "deck_schema": "schema",
    "write_schema": "schema",
    "check_schema": "schema",
    "render_text": "templating",
    "render_options": "templating",
    "apply_overrides": "overrides",
    "SHORTHANDS": "overrides",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
