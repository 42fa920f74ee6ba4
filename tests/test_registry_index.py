"""The registry index (kept in the build cache, or read from the sources when there is none): a build
imports only the directive and source modules of the kinds the deck uses, and an unknown kind is still
reported with its did-you-mean."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

DECK = "title: T\ndate: 2026-01-01\nslides:\n  - kind: {kind}\n    title: {title}\n    items: [a, b]\n"

BUILD = textwrap.dedent("""
    import sys
    from tfeic.cli import main
    code = main(["build", sys.argv[1], "-o", sys.argv[2], "-q", *sys.argv[3:]])
    kinds = sorted(m for m in sys.modules if m.startswith("tfeic.domains.") and ".directives." in m)
    print(code, len(kinds))
""")


def build(tmp_path, kind: str, title: str, *flags: str) -> subprocess.CompletedProcess:
    spec = tmp_path / "deck.yaml"
    spec.write_text(DECK.format(kind=kind, title=title))
    env = {**os.environ, "TFEIC_CACHE_DIR": str(tmp_path / "cache")}
    return subprocess.run([sys.executable, "-c", BUILD, str(spec), str(tmp_path / "out.pptx"), *flags],
                          capture_output=True, text=True, env=env)


def test_a_rebuild_imports_only_the_modules_of_the_kinds_the_deck_uses(tmp_path):
    first = build(tmp_path, "bullets", "One")  # an empty cache: the index read from the sources
    assert first.stdout.split() == ["0", "0"], first.stderr  # bullets is generic: no domain directive module
    edited = build(tmp_path, "bullets", "One, edited")
    assert edited.stdout.split() == ["0", "0"], edited.stderr
    cold = build(tmp_path, "bullets", "One, cold", "--no-cache")
    assert cold.stdout.split() == ["0", "0"], cold.stderr


def test_an_unknown_kind_still_gets_every_name_to_suggest_from(tmp_path):
    assert build(tmp_path, "bullets", "One").returncode == 0
    typo = build(tmp_path, "kv_hexdmp", "One")
    assert typo.stdout.split()[0] == "2"
    assert "unknown directive 'kv_hexdmp'" in typo.stderr and "did you mean 'kv_hexdump'?" in typo.stderr
