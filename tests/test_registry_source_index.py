"""The registry index read from the sources (what a build without the cache's index uses): every
built-in's name maps to the module that registers it, so a deck of built-ins never falls back to
importing them all (a name it lacks still works: tests/test_registry_index.py)."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from tfeic.core.registry import source_index


def registered_modules(package: str, part: str, registry: str) -> dict[str, str]:
    """name -> module of every built-in, as a full import registers them (a fresh process)."""
    code = textwrap.dedent(f"""
        import importlib
        from tfeic.core.registry import import_builtins
        registry = importlib.import_module({package!r}).{registry}
        import_builtins({package!r}, {part!r})
        for name, item in sorted(registry._items.items()):
            print(name, type(item).__module__)
    """)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    return dict(line.split() for line in out.splitlines())


def test_every_built_in_directive_is_indexed_at_the_module_that_registers_it():
    expected = registered_modules("tfeic.directives", "directives", "DIRECTIVES")
    assert len(expected) > 30 and source_index("tfeic.directives", "directives") == expected


def test_every_built_in_source_is_indexed_at_the_module_that_registers_it():
    expected = registered_modules("tfeic.sources", "sources", "SOURCES")
    assert len(expected) > 5 and source_index("tfeic.sources", "sources") == expected

