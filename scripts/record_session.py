#!/usr/bin/env python3
"""Record the snapshot of a deck's ``server`` source against a real llama-server on a tiny model.

Why a script: the deck names a URL (``http://localhost:8000``, where trtllm-serve would listen),
but anyone can rebuild the recorded data without a GPU: this builds (or finds) llama-server, writes
the tiny GGUF, serves it on a free port, points the source there and resolves it with ``--record``
semantics, which writes the source's ``snapshot`` file (e.g. decks/data/exabyte/session.json).
Against a real trtllm-serve, use ``tfeic build DECK --record`` instead.

Usage: scripts/record_session.py [DECK] [--source NAME]   (default: decks/exabyte.yaml, server)
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "scripts"))

import llama_server  # noqa: E402  (scripts/llama_server.py)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("deck", nargs="?", default=str(REPO / "decks" / "exabyte.yaml"))
    parser.add_argument("--source", default="server", help="name of the server source to record")
    args = parser.parse_args()

    from tfeic.core.diagnostics import TfeicError
    from tfeic.directives import DIRECTIVES
    from tfeic.sources import SOURCES, ResolveContext, resolve
    from tfeic.deck import load_deck

    command = llama_server.server_command() or [
        subprocess.run([str(REPO / "scripts" / "build_llama_server.sh")], check=True, capture_output=True,
                       text=True).stdout.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        model = Path(tmp) / "tiny.gguf"
        subprocess.run([sys.executable, str(REPO / "scripts" / "make_tiny_gguf.py"), str(model)], check=True)
        with llama_server.serve(command, model, Path(tmp) / "server.log") as server:
            try:
                deck = load_deck(args.deck, [f"sources.{args.source}.url={server.url}"], directives=DIRECTIVES, sources=SOURCES)
                resolve(deck, ResolveContext(deck=deck, record=True), names={args.source})
            except TfeicError as e:
                print(e, file=sys.stderr)
                return int(e.code)
    snapshot = deck.sources[args.source].options["snapshot"]
    print(os.path.relpath(os.path.join(deck.base_dir, snapshot)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
