"""Jinja2 templating of slide text against resolved data (``"{{ geo.layers }} layers"``).

The deck is data, not code: templates see plain data only (``tfeic.core.plain``: dicts, lists, strings,
numbers, never the live objects the sources resolved to) and run in ``tfeic.deck.sandbox``'s
environment (Jinja2's sandbox with calls allowlisted and time, steps and sizes bounded), with
``StrictUndefined`` so a misspelt name is an error rather than an empty string, and without
autoescaping (the output is slide text, not HTML). Only strings containing ``{{`` or ``{%`` are
rendered, and each is rendered exactly once: a value from the data that itself looks like a
template (``"{{ 7*7 }}"``) is inserted as text and never evaluated.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Mapping

from ..core.diagnostics import Diagnostic, Pos, SpecError
from ..core.yamlfile import join

if TYPE_CHECKING:  # jinja2 is imported only when a deck holds a template
    from .sandbox import BoundedEnvironment


@functools.lru_cache(maxsize=1)
def _environment() -> BoundedEnvironment:
    from .sandbox import BoundedEnvironment

    return BoundedEnvironment()


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text


def render_text(template: str, context: Mapping[str, Any], pos: Pos) -> str:
    """Render one template string; any failure is a SpecError at ``pos`` (the string in the deck)."""
    if not is_template(template):
        return template
    from jinja2 import TemplateError

    try:
        return _environment().render(template, context)
    except TemplateError as e:
        kind = type(e).__name__
        raise SpecError(Diagnostic(f"template error ({kind}): {e.message or e}", pos)) from None
    # raised by expressions in the template; RecursionError by a macro that calls itself or deep nesting
    except (ArithmeticError, AttributeError, TypeError, ValueError, LookupError, RecursionError) as e:
        raise SpecError(Diagnostic(f"template error ({type(e).__name__}): {e}", pos)) from None


def render_options(options: Any, positions: Mapping[str, Pos], context: Mapping[str, Any], origin: Pos | None = None) -> Any:
    """Render every template string in nested dicts/lists of a slide's options (a new value).

    ``positions`` is the slide's (``SlideSpec.positions``: ``"rows/3/1"`` -> Pos, ``""`` the slide);
    an error points at the nearest recorded position of the string, else at ``origin``.
    """

    def walk(value: Any, path: str) -> Any:
        if isinstance(value, str):  # the position is looked up only for a template: most strings are text
            return render_text(value, context, _nearest(positions, path, origin)) if is_template(value) else value
        if isinstance(value, dict):
            return {k: walk(v, join(path, k)) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, join(path, i)) for i, v in enumerate(value)]
        return value

    return walk(options, "")


def _nearest(positions: Mapping[str, Pos], path: str, origin: Pos | None) -> Pos:
    while path not in positions and path:
        path = path.rpartition("/")[0]
    return positions.get(path) or origin or Pos("<deck>")
