"""Credentials never leave: one ``Redactor`` that knows the API key and the URL's user:password and
replaces them with ``[REDACTED]`` wherever a value crosses a boundary (a diagnostic, a snapshot, a
value handed to directives, a probe's output).

Why redact at all when the key only goes into the Authorization header: a hostile or careless
server echoes what it was sent (a 401 body quoting the header, a completion that repeats it, a
model id built from it), and anything it says lands in messages, snapshots and slides. So every
form a secret can take on the way back is redacted: as given, without surrounding whitespace or a
trailing CR/LF, URL-encoded, JSON-escaped, and the base64 of ``user:password`` that Basic auth puts
on the wire. Streamed text is redacted across frames too (``pieces``): a key sent one token per
frame is still a key.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import re
from typing import TYPE_CHECKING, Any, Callable, Iterable
from urllib.parse import quote, quote_plus, unquote, urlsplit

from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.text import without_surrogates

if TYPE_CHECKING:  # the model is imported by what sends a run, not by every build (which strips URL credentials)
    from .model import InferenceRun

REDACTED = "[REDACTED]"
# scheme://user:password@ -> scheme:// (the user name goes too: it is half of the credential)
URL_CREDENTIALS = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/?#\s]*@")  # to the authority's last @


def strip_url_credentials(text: str) -> str:
    """``text`` with the ``user:password@`` of every URL in it removed (a command line, an option)."""
    return URL_CREDENTIALS.sub(r"\1", text)


def url_secrets(url: str) -> tuple[str, ...]:
    """The credentials a URL carries: its password (or a lone user name, which is then a token),
    ``user:password``, and their base64 as Basic auth sends it."""
    try:
        parts = urlsplit(url)
        user, password = parts.username, parts.password
    except ValueError:  # a malformed URL: httpx refuses it before any byte is sent
        return ()
    if not (user or password):
        return ()
    pair = f"{unquote(user or '')}:{unquote(password or '')}"
    secret = password or user or ""
    return (secret, unquote(secret), pair, base64.b64encode(pair.encode("utf-8", "replace")).decode())


def header_safe_key(value: str, variable: str, pos: Pos | None) -> str:
    """The API key from ``$variable`` ready for a header: surrounding whitespace (the newline of
    ``export KEY=$(cat file)``) stripped; any other character outside printable ASCII is refused
    with its position, never with the key itself (exit 3)."""
    key = value.strip()
    for i, ch in enumerate(key, 1):
        if not " " <= ch <= "~":
            raise SourceError(Diagnostic(
                f"the API key in ${variable} holds a character not allowed in an HTTP header (position {i})", pos,
                hint="an API key is printable ASCII"))
    return key


def key_from_env(variable: str, pos: Pos | None) -> str:
    """The header-safe API key from ``$variable``; unset or blank is exit 3."""
    raw = os.environ.get(variable, "")
    if not raw.strip():
        raise SourceError(Diagnostic(f"environment variable {variable} (api_key_env) is not set", pos))
    return header_safe_key(raw, variable, pos)


class Redactor:
    """Replaces every form of the given secrets in strings, nested values and diagnostics."""

    def __init__(self, secrets: Iterable[str | None] = ()):
        forms: set[str] = set()
        for secret in filter(None, secrets):
            for s in (secret, secret.strip(), secret.rstrip("\r\n")):
                forms.update((s, quote(s, safe=""), quote_plus(s), json.dumps(s)[1:-1],
                              json.dumps(s, ensure_ascii=False)[1:-1], repr(s)[1:-1]))
        forms.discard("")
        # longest first, so a form that contains another is replaced whole
        self._pattern = re.compile("|".join(map(re.escape, sorted(forms, key=lambda f: (-len(f), f))))) if forms else None

    @classmethod
    def for_request(cls, url: str, api_key: str | None = None) -> Redactor:
        return cls((*url_secrets(url), api_key))

    def text(self, text: str) -> str:
        return self._pattern.sub(REDACTED, text) if self._pattern else text

    def pieces(self, pieces: list[str]) -> list[str]:
        """Redact the concatenation of ``pieces`` and cut it back into as many pieces: the piece where a
        secret starts holds ``[REDACTED]``, the pieces it continues into lose their part of it."""
        if not self._pattern:
            return pieces
        joined = "".join(pieces)
        spans = [m.span() for m in self._pattern.finditer(joined)]
        if not spans:
            return pieces
        out, start, j = [], 0, 0
        for piece in pieces:
            end = start + len(piece)
            while j < len(spans) and spans[j][1] <= start:
                j += 1
            kept, cursor, k = [], start, j
            while k < len(spans) and spans[k][0] < end:
                s, e = spans[k]
                kept.append(joined[cursor:max(cursor, s)])
                if s >= start:
                    kept.append(REDACTED)
                cursor = min(e, end)
                k += 1
            kept.append(joined[cursor:end])
            out.append("".join(kept))
            start = end
        return out

    def error(self, error: SourceError) -> SourceError:
        """The same error with every message and hint redacted."""
        return SourceError([dataclasses.replace(d, message=self.text(d.message), hint=d.hint and self.text(d.hint))
                            for d in error.diagnostics])


def map_strings(value: Any, fn: Callable[[str], str]) -> Any:
    """``value`` with ``fn`` applied to every string in it (dict keys, lists, tuples, dataclasses)."""
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, dict):
        return {map_strings(k, fn): map_strings(v, fn) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(map_strings(v, fn) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return dataclasses.replace(value, **{f.name: map_strings(getattr(value, f.name), fn)
                                             for f in dataclasses.fields(value) if f.init})
    return value


def outgoing_run(run: InferenceRun, redactor: Redactor) -> InferenceRun:
    """``run`` as it may leave the inference layer: every string redacted (a secret streamed over
    several frames as well) and lone surrogates, which JSON escapes can carry but no file can encode,
    replaced by U+FFFD. Other characters stay as the server sent them: the XML writer and the
    terminal escape what they must."""
    from .model import Frame

    texts = redactor.pieces([f.text for f in run.frames])
    frames = tuple(Frame(f.t_s, text) for f, text in zip(run.frames, texts))
    safe: InferenceRun = map_strings(dataclasses.replace(run, frames=frames),
                                     lambda s: without_surrogates(redactor.text(s)))
    return safe
