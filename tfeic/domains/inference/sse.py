"""A tolerant, incremental parser for the server-sent events of a streamed chat completion.

Real servers differ: trtllm-serve writes ``data: {json} \\n\\n`` (a space before the blank line),
some never send ``[DONE]``, llama.cpp reports errors as ``error: {json}`` and may send keep-alive
comments, proxies add ``event:``/``id:`` lines. All of that is accepted; a frame whose data is not a
JSON object is a ``SourceError``, because guessing would put wrong numbers on a slide.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Callable

from ...core.diagnostics import Diagnostic, Pos, SourceError


@dataclass(frozen=True)
class Event:
    """One dispatched event: ``data`` is the parsed JSON object, or None for ``[DONE]``."""

    index: int  # 1-based, counting data-bearing events
    event: str  # "message" unless the server named it ("error" for llama.cpp's error lines)
    data: dict[str, Any] | None

    @property
    def done(self) -> bool:
        return self.data is None


class SseParser:
    """Feed raw bytes as they arrive; get back the events completed so far."""

    def __init__(self, pos: Pos | None = None, redact: Callable[[str], str] = str):
        self._pos = pos
        self._redact = redact  # applied to an excerpt's text before it is cut
        self._buf = b""
        self._data: list[str] = []
        self._event = ""
        self._count = 0

    def feed(self, chunk: bytes) -> list[Event]:
        self._buf += chunk
        events: list[Event] = []
        while True:
            cut = _line_end(self._buf)
            if cut is None:
                return events
            end, after = cut
            line, self._buf = self._buf[:end], self._buf[after:]
            event = self._line(line.decode("utf-8", errors="replace"))
            if event:
                events.append(event)

    def close(self) -> list[Event]:
        """End of stream: a last line or frame without its terminating newline still counts."""
        events = []
        if self._buf:
            line, self._buf = self._buf.rstrip(b"\r"), b""
            event = self._line(line.decode("utf-8", errors="replace"))
            if event:
                events.append(event)
        event = self._dispatch()
        if event:
            events.append(event)
        return events

    def _line(self, line: str) -> Event | None:
        if line == "":
            return self._dispatch()
        if line.startswith(":"):
            return None  # comment / keep-alive
        name, _, value = line.partition(":")
        if value.startswith(" "):
            value = value[1:]
        if name == "data":
            self._data.append(value)
        elif name == "error":  # llama.cpp: "error: {json}" without a data field
            self._event = "error"
            self._data.append(value)
        elif name == "event":
            self._event = value.strip()
        return None  # id, retry and unknown fields are ignored, as the SSE spec says

    def _dispatch(self) -> Event | None:
        if not self._data:
            self._event = ""
            return None
        text = "\n".join(self._data).strip()
        event = self._event or "message"
        self._data, self._event = [], ""
        self._count += 1
        if text == "[DONE]":
            return Event(self._count, event, None)
        try:
            data = json.loads(text)
        except json.JSONDecodeError as e:
            raise SourceError(Diagnostic(
                f"malformed stream frame #{self._count}: not JSON ({e.msg}): {_excerpt(self._redact(text))}", self._pos)) from None
        if not isinstance(data, dict):
            raise SourceError(Diagnostic(
                f"malformed stream frame #{self._count}: expected a JSON object, got {_excerpt(self._redact(text))}", self._pos))
        return Event(self._count, event, data)


def _line_end(buf: bytes) -> tuple[int, int] | None:
    """(end of line, start of the next) for the first CR, LF or CRLF; None while incomplete. A CR at
    the very end waits for the next chunk, which may begin with its LF."""
    cr, lf = buf.find(b"\r"), buf.find(b"\n")
    if lf != -1 and (cr == -1 or lf < cr):
        return lf, lf + 1
    if cr == -1 or cr + 1 == len(buf):
        return None
    return cr, cr + 2 if buf[cr + 1] == 0x0A else cr + 1


def _excerpt(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")
