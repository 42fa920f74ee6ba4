"""Spec stage: YAML deck file -> validated ``Deck``; ``--set`` overrides and templating.

The stage imports nothing above it: ``load_deck`` and ``deck_schema`` take the directive and source
registries as arguments (the build and the CLI pass them in). The public names below are imported on
first use (PEP 562) so that ``tfeic.sources`` and ``tfeic.directives``, which import
``tfeic.deck.model``, and ``tfeic --version`` do not pay for jsonschema or Jinja2.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "load_deck": "validate",
    "deck_schema": "schema",
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
