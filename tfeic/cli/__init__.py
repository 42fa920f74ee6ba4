"""Command line: ``tfeic <command> ...`` (also ``python -m tfeic``).

Each module of this package, and of each domain's ``cli/`` subpackage (``tfeic kv``, ``tfeic engine``,
``tfeic trace``, ``tfeic probe``), that defines ``add_parser(subparsers)`` contributes one command; the
parser it adds sets ``func`` (``args -> int exit code``). User errors arrive as ``TfeicError`` and are
printed as diagnostics with their documented exit code; anything else is exit 1 with a short message.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import sys
from typing import Sequence

from .. import __version__
from ..core.terminal import show
from .common import print_diagnostics


class _Parser(argparse.ArgumentParser):
    """argparse exits 2 on usage errors, which matches our documented code. Like every other bad
    input, a usage error is one line (argparse would print the usage block first): the command,
    what is wrong, and where the usage is."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", _formatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str):  # noqa: D401
        from .exit_codes import ExitCode  # exit codes other than 0 are imported where a command fails

        show(f"{self.prog}: error: {message} (see '{self.prog} --help')", sys.stderr, one_line=True)
        raise SystemExit(int(ExitCode.USAGE))


def _formatter(prog: str) -> argparse.HelpFormatter:
    """argparse's own help formatter, as wide as it makes itself when given no width, the width found
    with ``os`` alone: argparse makes a formatter for every argument a parser adds (to check its
    metavar), and its own first look at the terminal imports ``shutil``, which loads the zlib, bz2
    and lzma modules: a tenth of a no-op build's own time."""
    return argparse.HelpFormatter(prog, width=_terminal_columns() - 2)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns`` (CPython 3.11 ``Lib/shutil.py``, ``get_terminal_size``):
    ``$COLUMNS`` when a positive number, else the width of the terminal on ``sys.__stdout__``, else 80."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        columns = 0
    if columns > 0:
        return columns
    try:
        return os.get_terminal_size(sys.__stdout__.fileno()).columns or 80  # type: ignore[union-attr]
    except (AttributeError, ValueError, OSError):  # no stdout, closed, detached, or not a terminal
        return 80


def build_parser(argv: Sequence[str] | None = None) -> argparse.ArgumentParser:
    """The parser of every command; or, when ``argv`` starts with the name of one of this package's
    own commands (``build``), of that command alone: the others' modules (and the domains' command
    modules, with their models) are not imported, which is most of what a no-op ``tfeic build``
    would cost. The one command parses exactly as it does among all of them."""
    command = argv[0] if argv else ""
    if command.isidentifier() and os.path.isfile(os.path.join(os.path.dirname(__file__), f"{command}.py")):
        parser, sub = _parsers()
        _add_command(sub, f"{__name__}.{command}")
        if command in sub.choices:
            return parser
    from ..core.registry import builtin_modules

    parser, sub = _parsers()
    for name in sorted(builtin_modules(__name__, "cli"), key=lambda n: n.rpartition(".")[2]):
        _add_command(sub, name)
    return parser


def _parsers() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction[argparse.ArgumentParser]]:
    """The top-level parser and its (still empty) set of commands."""
    parser = _Parser(prog="tfeic", description="Compile YAML deck specs about LLM inference into proven .pptx decks.")
    parser.add_argument("--version", action="version", version=f"tfeic {__version__}")
    return parser, parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)


def _add_command(sub: argparse._SubParsersAction[argparse.ArgumentParser], module_name: str) -> None:
    """Let the module ``module_name`` add its command, if it holds one (``add_parser``)."""
    module = importlib.import_module(module_name)
    if hasattr(module, "add_parser"):
        module.add_parser(sub)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = build_parser(argv)
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        from .exit_codes import ExitCode

        parser.print_help()
        return int(ExitCode.USAGE)
    try:
        return int(args.func(args))
    except (KeyboardInterrupt, BrokenPipeError) as e:
        from .exit_codes import exit_code

        return int(exit_code(e))
    except Exception as e:
        from ..core.diagnostics import TfeicError  # only a command that failed needs it (not a no-op build)
        from .exit_codes import exit_code

        if isinstance(e, TfeicError):
            print_diagnostics(e.diagnostics, getattr(args, "format", "text"))
            return int(exit_code(e))
        if os.environ.get("TFEIC_DEBUG"):  # an internal error: one line, no traceback unless asked for
            raise
        show(f"tfeic: internal error: {type(e).__name__}: {e} (set TFEIC_DEBUG=1 for a traceback)", sys.stderr, one_line=True)
        return int(exit_code(e))


def entry() -> None:
    """The ``tfeic`` command: ``main``, then exit without tearing the interpreter down.

    A build allocates hundreds of thousands of small objects that live until it ends (positions,
    IR, placed boxes) and makes few reference cycles, so the collector's default thresholds re-scan
    them ~500 times in a 500-slide build (0.3 s); it runs less often here, as mypy's build does
    (``mypy/build.py``, ``build``: "otherwise we can spend a large fraction of cpu in gc"), and
    ``tfeic build`` pauses it for the build itself (``cli.build.build_once``). Memory that
    reference counting frees is unaffected. Freeing a large build's objects one by one at exit took
    a tenth of a 500-slide build, and nothing is left to do then: outputs are written and closed
    (``render.atomic``), worker pools shut down by their ``with`` blocks, and tfeic registers no
    ``atexit`` work; only the standard streams still hold text, so they are flushed first."""
    if sys.implementation.name == "cpython":  # other interpreters collect differently
        gc.set_threshold(200 * 1000, 30, 30)
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said
            pass
    os._exit(code)
