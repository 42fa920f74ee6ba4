"""The prefixes TensorRT-LLM puts before a log message: level, rank, timestamp, component.

Two loggers write a TensorRT-LLM log, and each changed over the releases:

- the C++ logger (``cpp/include/tensorrt_llm/common/logger.h``, ``Logger::getPrefix``): up to 0.x and
  early 1.x ``[TensorRT-LLM][INFO] `` and, for per-rank messages, ``[TensorRT-LLM][INFO][<rank>] ``;
  newer releases ``<timestamp> [TRT-LLM] [I] `` and ``<timestamp> [TRT-LLM] [I] [<rank>] ``;
- the Python logger (``tensorrt_llm/logger.py``; read at 027cd518e3b63809a5c5799187991e7f1164fb12,
  ``Logger.log``): ``[<MM/DD/YYYY-HH:MM:SS>] [TRT-LLM] [I] ``, levels ``[F] [E] [W] [I] [V]``, with
  ``[MPI_Rank <n>]`` (older) or ``[RANK <n>]`` before the level on multi-rank runs, and components
  such as ``[batchmgr][RANK 0]`` or ``[_torch][RANK 0]`` after it; AutoDeploy writes
  ``[TRT-LLM AUTO-DEPLOY] [RANK 0] [I]``.

Levels are spelt ``TRACE|VERBOSE|DEBUG|INFO|WARNING|ERROR`` or ``V|D|I|W|E``. A line without a
prefix (a continuation of a multi-line message, a tool's report, another program) has no level.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: the one-letter levels of ``[TRT-LLM] [I]`` -> the word ``[TensorRT-LLM][INFO]`` uses
LEVELS = {"V": "VERBOSE", "T": "TRACE", "D": "DEBUG", "I": "INFO", "W": "WARNING", "E": "ERROR", "F": "INTERNAL_ERROR"}
WORDS = frozenset(LEVELS.values())

#: one bracketed token at the start of what is left of the line, and the blank after it
_TOKEN = re.compile(r"\s*\[(?P<body>[^\]]*)\]")
_RANK = re.compile(r"(?:(?:MPI_)?RANK\s*)?(?P<rank>\d+)", re.IGNORECASE)
_TIMESTAMP = re.compile(r"\d\d/\d\d/\d{4}-\d\d:\d\d:\d\d(?:\.\d+)?")
_COMPONENT = re.compile(r"[\w.-]+")
_LOGGERS = ("TRT-LLM", "TensorRT-LLM", "TRT-LLM AUTO-DEPLOY")


@dataclass(frozen=True)
class Prefixed:
    """A line split into what its prefix says and the message after it."""

    level: str | None  # INFO, DEBUG, ...; None: no TensorRT-LLM prefix
    rank: str | None
    message: str
    offset: int  # where the message starts in the line (0-based)


def split_prefix(line: str) -> Prefixed:
    """The level and rank of a TensorRT-LLM log line, and its message. Tokens are taken from the
    start while they are a timestamp, a logger name, a level, a rank or a ``[component]`` that
    follows a logger name; the message is the rest."""
    pos, level, rank, seen_logger = _logger_start(line), None, None, False
    while m := _TOKEN.match(line, pos):
        body = m["body"].strip()
        if body in _LOGGERS:
            seen_logger = True
        elif not seen_logger:
            if not _TIMESTAMP.fullmatch(body):
                break  # text in brackets before any logger name: not a TensorRT-LLM prefix
        elif body in WORDS or body in LEVELS:
            level = LEVELS.get(body, body)
        elif r := _RANK.fullmatch(body):
            rank = r["rank"]
        elif not _COMPONENT.fullmatch(body):
            break  # bracketed text with blanks ("[kv cache manager]") belongs to the message
        pos = m.end()
    if not seen_logger:
        return Prefixed(None, None, line, 0)
    start = pos + 1 if line[pos:pos + 1] == " " else pos
    return Prefixed(level, rank, line[start:], start)


def _logger_start(line: str) -> int:
    """Where the bracketed prefix starts: 0, or after the unbracketed timestamp that newer C++
    loggers (``common::getCurrentTimestamp()``) and launchers (``mpirun --tag-output``) put first."""
    first = line.find("[")
    if first <= 0 or first > 40:
        return 0
    return first if any(line.startswith(f"[{name}]", first) for name in _LOGGERS) else 0
