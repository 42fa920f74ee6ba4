"""WCAG 2.x contrast for the tests (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio and
#dfn-relative-luminance): text passes AA at 4.5:1 (3:1 for large text).

The formula is written out once, in ``scripts/deck_metrics.py`` (the script that measures decks from
their XML and shares no code with tfeic), and loaded from there, so the tests judge contrast
independently of ``tfeic.theme.contrast``."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

_SPEC = importlib.util.spec_from_file_location(
    "tfeic_scripts_deck_metrics", Path(__file__).resolve().parents[1] / "scripts" / "deck_metrics.py")
assert _SPEC is not None and _SPEC.loader is not None
_METRICS = importlib.util.module_from_spec(_SPEC)
sys.modules[_SPEC.name] = _METRICS  # its dataclasses look their module up there
_SPEC.loader.exec_module(_METRICS)

luminance = _METRICS.luminance
contrast = _METRICS.contrast
