"""Where tfeic's own data files live: the JSON Schemas and the built-in themes; and the per-user
cache directory (build cache, nsys exports), which is never inside a deck's folder.

They are inside the package (``tfeic/schemas``, ``tfeic/themes``; ``schemas/`` and ``themes/`` at
the top of the repository are links to them), so a wheel carries them and an installed tfeic finds
them the same way an editable checkout does.
"""

from __future__ import annotations

import os

PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))  # tfeic/
SCHEMAS_DIR = os.path.join(PACKAGE_DIR, "schemas")
THEMES_DIR = os.path.join(PACKAGE_DIR, "theme", "themes")
# TFEITool's slide set: the deck `tfeic build` compiles when no SPEC is given
TFEITOOL_DECK = os.path.join(PACKAGE_DIR, "deck", "packaged", "tfeitool.yaml")


def schema_path(name: str) -> str:
    """The path of ``schemas/<name>`` (e.g. ``"deck.schema.json"``)."""
    return os.path.join(SCHEMAS_DIR, name)


def user_cache_dir() -> str:
    """``$TFEIC_CACHE_DIR``, else ``$XDG_CACHE_HOME/tfeic``, else ``~/.cache/tfeic``."""
    return os.environ.get("TFEIC_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "tfeic")
