"""Command line: ``tfeic <command> ...`` (also ``python -m tfeic``).

Each module of this package, and of each domain's ``cli/`` subpackage (``tfeic kv``, ``tfeic engine``,
``tfeic trace``, ``tfeic probe``), that defines ``add_parser(subparsers)`` contributes one command; the
parser it adds sets ``func`` (``args -> int exit code``). User errors arrive as ``TfeicError`` and are
printed as diagnostics with their documented exit code; anything else is exit 1 with a short message.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .. import __version__
from ..core.diagnostics import TfeicError
from ..core.registry import builtin_modules
from ..core.terminal import show
from .common import print_diagnostics
from .exit_codes import ExitCode, exit_code


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors, which matches our documented code. Like every other bad
    input, a usage error is one line (argparse would print the usage block first): the command,
    what is wrong, and where the usage is."""

    def error(self, message: str):  # noqa: D401
        show(f"{self.prog}: error: {message} (see '{self.prog} --help')", sys.stderr, one_line=True)
        raise SystemExit(int(ExitCode.USAGE))


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="tfeic", description="Compile YAML deck specs about LLM inference into proven .pptx decks.")
    parser.add_argument("--version", action="version", version=f"tfeic {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for name in sorted(builtin_modules(__name__, "cli"), key=lambda n: n.rpartition(".")[2]):
        module = importlib.import_module(name)
        if hasattr(module, "add_parser"):
            module.add_parser(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return int(ExitCode.USAGE)
    try:
        return int(args.func(args))
    except TfeicError as e:
        print_diagnostics(e.diagnostics, getattr(args, "format", "text"))
        return int(exit_code(e))
    except (KeyboardInterrupt, BrokenPipeError) as e:
        return int(exit_code(e))
    except Exception as e:  # an internal error: one line, no traceback unless asked for
        import os

        if os.environ.get("TFEIC_DEBUG"):
            raise
        show(f"tfeic: internal error: {type(e).__name__}: {e} (set TFEIC_DEBUG=1 for a traceback)", sys.stderr, one_line=True)
        return int(exit_code(e))


def entry() -> None:
    sys.exit(main())
