"""``.nsys-rep`` / ``.qdrep`` reports: undocumented binaries only ``nsys`` can read.

With ``nsys`` on PATH the report is exported to SQLite once, into a cache keyed by the report's
sha256 (a re-profiled report under the same name gets a new export). Without it the only honest
answer is exit 3 naming the exact export command, so the user can run it where nsys is installed
and point the deck at the ``.sqlite``.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.digest import file_sha256
from ...core.resources import user_cache_dir


def export_command(report: str, output: str) -> list[str]:
    return ["nsys", "export", "--type", "sqlite", "--force-overwrite=true", "-o", output, report]


def cache_dir() -> str:
    """``nsys`` in the per-user cache directory (``tfeic.core.resources.user_cache_dir``)."""
    return os.path.join(user_cache_dir(), "nsys")




def export_sqlite(report: str, shown: str | None = None) -> str:
    """The path of the report's SQLite export, exporting it on first use. ``shown`` is the path as
    the user wrote it, used in messages."""
    shown = shown or report
    nsys = shutil.which("nsys")
    if nsys is None:
        stem = os.path.splitext(shown)[0]
        command = shlex.join(export_command(shown, stem + ".sqlite"))
        raise SourceError(
            Diagnostic(
                "this Nsight Systems report needs `nsys` to read, and nsys is not on PATH",
                Pos(shown),
                hint=f"run `{command}` where nsys is installed and use the .sqlite file",
            )
        )
    target = os.path.join(cache_dir(), file_sha256(report) + ".sqlite")
    if os.path.exists(target):
        return target
    os.makedirs(os.path.dirname(target), exist_ok=True)
    partial = target + f".{os.getpid()}.part.sqlite"
    done = subprocess.run([nsys, *export_command(report, partial)[1:]], capture_output=True, text=True)
    if done.returncode != 0 or not os.path.exists(partial):
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        raise SourceError(Diagnostic(f"nsys export failed (exit {done.returncode}): {tail[0]}", Pos(shown)))
    os.replace(partial, target)
    return target
