"""One chat-completion request to an OpenAI-compatible server, measured as the client sees it.

Why measure here: servers do not report what a user waits for. Time to first token is the time to
the first frame that carries text (trtllm-serve sends its first frame only once a token exists);
every gap between text frames is an inter-token latency; bytes are counted on the socket.
Every way the request can fail becomes one ``SourceError`` line; 5xx and 429 are retried a bounded
number of times with exponential backoff first. Every exchange (the request, ``/v1/models``) must be
over within ``timeout`` seconds, however slowly the server drips its answer (``wire.WireCounter``).
Whatever the server says is redacted (``secrets.Redactor``) before it is cut to an excerpt, so an
echoed key cannot survive half-cut.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Iterable, Iterator
from urllib.parse import urlsplit, urlunsplit

from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.terminal import terminal_safe
from ...core.text import without_surrogates
from .model import Frame, InferenceRun
from .secrets import Redactor
from .sse import SseParser
from .wire import WireCounter, wire_transport

MAX_BACKOFF_S = 8.0
MAX_RESPONSE_BYTES = 64 * 1024 * 1024  # a chat answer is kilobytes; more is a broken or hostile server
EXCERPT_CHARS = 200  # of a server's error message
MODEL_HINT = "name the model: the source's `model` field, or `tfeic probe --model`"
TIME_DIGITS = 6  # times are kept to the microsecond, so a recorded run and its replay are equal


@dataclass(frozen=True)
class ChatRequest:
    """What to send. ``api_key`` is only ever put in the Authorization header (and kept out of repr)."""

    base_url: str
    messages: tuple[tuple[str, str], ...]
    model: str | None = None  # None: the first model that /v1/models lists
    max_tokens: int | None = 128
    temperature: float | None = None
    seed: int | None = None
    extra_body: dict[str, Any] = field(default_factory=dict)
    api_key: str | None = field(default=None, repr=False)
    timeout: float = 60.0
    retries: int = 2
    stream: bool = True
    max_response_bytes: int = MAX_RESPONSE_BYTES

    @cached_property
    def redactor(self) -> Redactor:
        """Redacts the API key and the URL's credentials from whatever comes back."""
        return Redactor.for_request(self.base_url, self.api_key)


def endpoint(base_url: str, path: str) -> str:
    """``path`` on the server: a base given as ``http://h:8000`` or ``http://h:8000/v1`` both work."""
    base = base_url.rstrip("/")
    if base.endswith("/v1"):
        base = base[:-3]
    return base + path


def public_url(url: str) -> str:
    """The URL without user:password, which may be a credential and must not reach snapshots or slides."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    return urlunsplit((parts.scheme, host, parts.path, "", ""))


def headers(req: ChatRequest) -> dict[str, str]:
    out = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
    if req.api_key:
        out["Authorization"] = f"Bearer {req.api_key}"
    return out


def run_chat(req: ChatRequest, pos: Pos | None = None) -> InferenceRun:
    """Send ``req`` (retrying 5xx/429 up to ``req.retries`` times) and return the measured run."""
    model = req.model or first_model(req, pos)
    attempt = 0
    while True:
        try:
            return _attempt(req, model, pos)
        except _Retryable as e:
            attempt += 1
            if attempt > req.retries:
                raise SourceError(Diagnostic(f"{e.message} (gave up after {attempt} attempts)", pos)) from None
            time.sleep(min(MAX_BACKOFF_S, e.retry_after if e.retry_after is not None else 0.25 * 2 ** attempt))


def first_model(req: ChatRequest, pos: Pos | None = None) -> str:
    """The first id that ``GET /v1/models`` lists: what to ask for when the spec names no model."""
    import httpx

    url = endpoint(req.base_url, "/v1/models")
    wire = WireCounter()
    reader = _Reader(pos, req.max_response_bytes, req.redactor)
    with client_for(req, wire) as client:
        try:
            with client.stream("GET", url, headers=headers(req)) as resp:
                body = reader.read_body(resp)
        except httpx.HTTPError as e:
            raise transport_fault(e, url, req.timeout, pos, answered=wire.answered) from None
    if resp.status_code >= 400:
        raise SourceError(Diagnostic(
            f"no model given and GET {public_url(url)} answered {_status_line(resp)}: "
            f"{_server_message(body, req.redactor)}", pos, hint=MODEL_HINT))
    try:
        return str(json.loads(body)["data"][0]["id"])
    except (ValueError, KeyError, IndexError, TypeError, RecursionError):
        raise SourceError(Diagnostic(f"no model given and GET {public_url(url)} lists none", pos,
                                     hint=MODEL_HINT)) from None


def client_for(req: ChatRequest, wire: WireCounter, timeout: float | None = None):
    """An httpx client whose exchanges ``wire`` counts and bounds: each read waits at most ``timeout``
    (default ``req.timeout``), and the first exchange must end within it (``wire.limit`` again for
    each further one)."""
    import httpx

    timeout = req.timeout if timeout is None else timeout
    wire.limit(timeout)
    return httpx.Client(transport=wire_transport(wire), timeout=timeout, trust_env=False)


class _Retryable(Exception):
    def __init__(self, message: str, retry_after: float | None):
        super().__init__(message)
        self.message = message
        self.retry_after = retry_after


def _attempt(req: ChatRequest, model: str, pos: Pos | None) -> InferenceRun:
    import httpx

    url = endpoint(req.base_url, "/v1/chat/completions")
    body = _body(req, model)
    counter = WireCounter()
    reader_type = _StreamReader if req.stream else _JsonReader
    reader = reader_type(pos, req.max_response_bytes, req.redactor)
    with client_for(req, counter) as client:
        start = time.perf_counter()
        try:
            with client.stream("POST", url, content=body, headers=headers(req)) as resp:
                if resp.status_code >= 400:
                    _raise_for_status(resp, url, pos, reader.read_body(resp), req.redactor)
                if req.stream and resp.headers.get("content-type", "").startswith("application/json"):
                    reader = _JsonReader(pos, req.max_response_bytes, req.redactor)  # a server that ignores "stream" answers with one object
                reader.read(resp, start)
        except httpx.HTTPError as e:
            raise reader.fault(e, url, req.timeout, counter.answered) from None
        latency = round(time.perf_counter() - start, TIME_DIGITS)
    return reader.result(
        url=public_url(req.base_url), model=model, messages=req.messages, max_tokens=req.max_tokens,
        latency_s=latency, bytes_sent=counter.sent, bytes_received=counter.received)


def _body(req: ChatRequest, model: str) -> bytes:
    body: dict[str, Any] = {"model": model, "messages": [{"role": r, "content": c} for r, c in req.messages],
                            "stream": req.stream}
    if req.stream:
        body["stream_options"] = {"include_usage": True}
    for key in ("max_tokens", "temperature", "seed"):
        if getattr(req, key) is not None:
            body[key] = getattr(req, key)
    body.update(req.extra_body)
    return without_surrogates(json.dumps(body, ensure_ascii=False)).encode()  # as the run records it


def _raise_for_status(resp, url: str, pos: Pos | None, body: bytes, redactor: Redactor) -> None:
    message = f"POST {public_url(url)} answered {_status_line(resp)}: {_server_message(body, redactor)}"
    if resp.status_code == 429 or resp.status_code >= 500:
        raise _Retryable(message, _retry_after(resp))
    raise SourceError(Diagnostic(message, pos))


def _status_line(resp) -> str:
    return f"{resp.status_code} {resp.reason_phrase}".strip()


def _server_message(body: bytes, redactor: Redactor) -> str:
    """The server's own explanation: OpenAI ``{"error": {"message"}}``, trtllm ``{"message"}``,
    FastAPI ``{"detail"}``, or the start of the body; redacted, then cut."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return excerpt(body.decode(errors="replace").strip(), redactor, EXCERPT_CHARS) or "(empty body)"
    return _error_text(data, redactor)


def _error_text(data: Any, redactor: Redactor) -> str:
    while isinstance(data, dict):
        key = next((k for k in ("error", "message", "detail") if k in data), None)
        if key is None:
            break
        data = data[key]
    return excerpt(str(data), redactor, EXCERPT_CHARS)


def excerpt(text: str, redactor: Redactor, limit: int) -> str:
    """The start of ``text``, redacted before it is cut (a cut must not leave half a key behind),
    with control characters escaped (it goes into a message for a terminal)."""
    return terminal_safe(redactor.text(text), one_line=True)[:limit]


def _retry_after(resp) -> float | None:
    try:
        return max(0.0, float(resp.headers.get("retry-after", "")))
    except ValueError:
        return None


def transport_fault(e: Exception, url: str, timeout: float, pos: Pos | None, during: str = "",
                    answered: bool = False) -> SourceError:
    """One clear line for a failure below HTTP: refused, DNS, timeout (``answered``: the server had
    begun to answer), connection dropped."""
    import socket

    import httpx

    where = public_url(url)
    host = urlsplit(url).hostname
    cause = _root_os_error(e)
    if isinstance(e, httpx.TimeoutException):
        text = f"no {'complete ' if answered else ''}answer from {where} within {timeout:g} s{during}"
    elif isinstance(cause, socket.gaierror):
        text = f"cannot resolve host {host!r} of {where} (DNS: {cause.strerror})"
    elif isinstance(cause, ConnectionRefusedError):
        text = f"connection refused by {where}: is the server running?"
    elif isinstance(e, httpx.ConnectError):
        text = f"cannot connect to {where}: {terminal_safe(str(e), one_line=True)}"
    else:
        text = f"connection to {where} broke{during}: {terminal_safe(str(e), one_line=True) or type(e).__name__}"
    return SourceError(Diagnostic(text, pos))


def _root_os_error(e: BaseException | None) -> OSError | None:
    seen = set()
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, OSError):
            return e
        e = e.__cause__ or e.__context__
    return None


def _usage(data: dict) -> tuple[int | None, int | None, int | None] | None:
    usage = data.get("usage")
    if not isinstance(usage, dict):
        return None
    details = usage.get("prompt_tokens_details") or {}
    cached = details.get("cached_tokens") if isinstance(details, dict) else None
    return _count(usage.get("prompt_tokens")), _count(usage.get("completion_tokens")), _count(cached)


def _count(value: Any) -> int | None:
    """A token count as the server gave it, or None when it is not a count (a string, -1, true)."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _finish(value: Any) -> str | None:
    return None if value is None else str(value)


class _Reader:
    """Collects one response; ``result`` turns it into an ``InferenceRun``."""

    stream = False

    def __init__(self, pos: Pos | None, max_bytes: int = MAX_RESPONSE_BYTES, redactor: Redactor | None = None):
        self.pos = pos
        self.max_bytes = max_bytes
        self.redactor = Redactor() if redactor is None else redactor
        self.received = 0
        self.frames: list[Frame] = []
        self.text: list[str] = []
        self.finish_reason: str | None = None
        self.usage: tuple[int | None, int | None, int | None] | None = None

    def fault(self, e: Exception, url: str, timeout: float, answered: bool = False) -> SourceError:
        return transport_fault(e, url, timeout, self.pos, answered=answered)

    def result(self, **fields) -> InferenceRun:
        prompt_tokens, completion_tokens, cached = self.usage or (None, None, None)
        source = "server" if completion_tokens is not None else "frames" if self.stream else "none"
        if completion_tokens is None and self.stream:
            completion_tokens = len(self.frames)
        return InferenceRun(
            stream=self.stream, text="".join(self.text), frames=tuple(self.frames), finish_reason=self.finish_reason,
            prompt_tokens=prompt_tokens, completion_tokens=completion_tokens, cached_tokens=cached,
            usage_source=source, **fields)

    def chunks(self, chunks: Iterable[bytes]) -> Iterator[bytes]:
        """``chunks`` of the body, stopping with a SourceError once more than ``max_bytes`` arrived."""
        for chunk in chunks:
            self.received += len(chunk)
            if self.received > self.max_bytes:
                raise SourceError(Diagnostic(
                    f"response larger than {self.max_bytes} bytes: refusing to read more", self.pos,
                    hint="raise the source's `max_response_bytes` if the server is right"))
            yield chunk

    def read_body(self, resp) -> bytes:
        """The whole body (decoded as the server's Content-Encoding says), at most ``max_bytes``."""
        return b"".join(self.chunks(resp.iter_bytes()))

    def _malformed(self, what: str) -> SourceError:
        return SourceError(Diagnostic(f"malformed response: {what}", self.pos))


class _JsonReader(_Reader):
    def read(self, resp, start: float) -> None:
        body = self.read_body(resp)
        try:
            data = json.loads(body)
            choice = data["choices"][0]
            content = choice["message"].get("content") or ""
            if not isinstance(content, str):
                raise TypeError("the content is not a string")
            self.text.append(content)
        except (ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError):
            raise self._malformed(f"not a chat completion: {excerpt(body.decode(errors='replace'), self.redactor, 60)!r}") from None
        self.finish_reason = _finish(choice.get("finish_reason"))
        self.usage = _usage(data)


class _StreamReader(_Reader):
    stream = True

    def __init__(self, pos: Pos | None, max_bytes: int = MAX_RESPONSE_BYTES, redactor: Redactor | None = None):
        super().__init__(pos, max_bytes, redactor)
        self.events = 0
        self.streaming = False  # True once the event stream (not an error body) is being read

    def read(self, resp, start: float) -> None:
        """Take the events as they arrive (the wire's deadline ends a stream that never finishes)."""
        parser = SseParser(self.pos, self.redactor.text)
        self.streaming, done = True, False
        for chunk in self.chunks(resp.iter_raw()):
            now = time.perf_counter()
            for event in parser.feed(chunk):
                done = self._event(event, now - start) or done
        for event in parser.close():
            done = self._event(event, time.perf_counter() - start) or done
        if not done and self.finish_reason is None:
            raise SourceError(Diagnostic(
                f"stream cut after {self.events} frames: the server closed it without a finish reason or [DONE]",
                self.pos))

    def fault(self, e: Exception, url: str, timeout: float, answered: bool = False) -> SourceError:
        import httpx

        if self.streaming and isinstance(e, httpx.TimeoutException):
            return self._timeout(timeout)
        if self.events:
            return transport_fault(e, url, timeout, self.pos, during=f" after {self.events} stream frames")
        return super().fault(e, url, timeout, answered)

    def _timeout(self, limit: float) -> SourceError:
        return SourceError(Diagnostic(
            f"stream not finished within {limit:g} s ({self.events} frames so far)", self.pos,
            hint="raise the source's `timeout`"))

    def _event(self, event, t: float) -> bool:
        """Take one event; True for ``[DONE]``."""
        if event.done:
            return True
        self.events += 1
        data = event.data
        if event.event == "error" or "error" in data:
            raise SourceError(Diagnostic(
                f"the server reported an error in stream frame #{event.index}: {_error_text(data, self.redactor)}",
                self.pos))
        self.usage = _usage(data) or self.usage
        choices = data.get("choices")
        if choices is None and self.usage is None:
            raise self._malformed(f"stream frame #{event.index} has neither choices nor usage")
        for choice in choices or ():
            if not isinstance(choice, dict):
                raise self._malformed(f"stream frame #{event.index}: a choice is not an object")
            delta = choice.get("delta") or {}
            content = delta.get("content") if isinstance(delta, dict) else None
            if content is None:
                content = choice.get("text")  # /v1/completions-shaped chunks
            if content is not None and not isinstance(content, str):
                raise self._malformed(f"stream frame #{event.index}: content is not a string")
            if content:
                self.frames.append(Frame(round(t, TIME_DIGITS), content))
                self.text.append(content)
            if choice.get("finish_reason"):
                self.finish_reason = _finish(choice["finish_reason"])
        return False
