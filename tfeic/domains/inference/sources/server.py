"""Source kind ``server``: one chat-completion request to an OpenAI-compatible server, or its snapshot.

Order of precedence, so that decks rebuild identically offline: ``--dry-run`` synthesises; a
snapshot that exists is replayed unless ``--live`` or ``--record`` asks for a new request;
``--record`` takes the snapshot (only after the request fully succeeded), which the build writes
with its other outputs once it has succeeded. The API key is read from the environment variable the
spec *names* and goes nowhere but the Authorization header; whatever the server sends back (its
errors, its answer, its probes) is redacted before it leaves ``load``, so an echoed key or URL
password reaches no message, snapshot or slide.
"""

from __future__ import annotations

import os
from dataclasses import replace

from tfeic.core.datafile import read_data
from tfeic.core.diagnostics import Diagnostic, SourceError
from tfeic.core.provenance import CAPTURED, LIVE, RECORDED, REPLAYED, SYNTHETIC, declared
from tfeic.domains.inference import snapshot
from tfeic.domains.inference.client import MAX_RESPONSE_BYTES, ChatRequest, public_url, run_chat
from tfeic.domains.inference.model import InferenceRun
from tfeic.domains.inference.probes import run_probes
from tfeic.domains.inference.secrets import key_from_env, outgoing_run
from tfeic.domains.inference.synthetic import synthetic_run
from tfeic.deck.model import SourceSpec
from tfeic.sources import SOURCES, ResolveContext, Source

RECORD_HINT = "run `tfeic build --record` where the server is reachable"


@SOURCES.register
class ServerSource(Source):
    name = "server"
    input_fields = ("prompt_file",)  # not "snapshot": --record writes it
    summary = "One request to an OpenAI-compatible server (trtllm-serve, llama-server, vLLM), measured; replayed from a snapshot."
    schema = {
        "type": "object",
        "additionalProperties": False,
        "required": ["url"],
        "oneOf": [{"required": ["prompt"]}, {"required": ["prompt_file"]}, {"required": ["messages"]}],
        "properties": {
            "url": {"type": "string", "pattern": "^https?://", "description": "Server base URL, e.g. http://localhost:8000 (a trailing /v1 is fine)."},
            "model": {"type": "string", "description": "Model to ask for; default: the first that GET /v1/models lists."},
            "prompt": {"type": "string", "description": "The user message."},
            "prompt_file": {"type": "string", "description": "A UTF-8 file holding the user message (relative to the deck)."},
            "messages": {
                "type": "array", "minItems": 1, "description": "A whole conversation instead of one prompt.",
                "items": {
                    "type": "object", "additionalProperties": False, "required": ["role", "content"],
                    "properties": {"role": {"enum": ["system", "user", "assistant"]}, "content": {"type": "string"}},
                },
            },
            "max_tokens": {"type": "integer", "minimum": 1, "default": 128, "description": "Tokens to generate at most."},
            "temperature": {"type": "number", "minimum": 0, "description": "Sampling temperature (server default when absent)."},
            "seed": {"type": "integer", "description": "Sampling seed, for servers that honour it."},
            "extra_body": {"type": "object", "description": "Extra request fields merged last, e.g. {ignore_eos: true}."},
            "api_key_env": {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$",
                            "description": "NAME of the environment variable holding the API key (surrounding whitespace stripped); the key, and whatever the server echoes of it, is never written anywhere."},
            "timeout": {"type": "number", "exclusiveMinimum": 0, "default": 60, "description": "Seconds each exchange (the request, GET /v1/models) may take in all, however slowly the server answers; each probe gets at most 5 of them."},
            "retries": {"type": "integer", "minimum": 0, "maximum": 10, "default": 2, "description": "Retries after 5xx/429, with backoff."},
            "max_response_bytes": {"type": "integer", "minimum": 1, "default": MAX_RESPONSE_BYTES,
                                   "description": "Most bytes the server may send for the request; more is an error."},
            "stream": {"type": "boolean", "default": True, "description": "Stream (SSE) to measure TTFT and inter-token gaps."},
            "probes": {"type": "boolean", "default": True, "description": "Ask /metrics, /health, ... after the request."},
            "snapshot": {"type": "string", "description": "JSON file to replay, written by `tfeic build --record` (relative to the deck)."},
        },
    }

    def load(self, spec: SourceSpec, ctx: ResolveContext) -> InferenceRun:
        path = self._path(spec, ctx, "snapshot")
        messages = self._messages(spec, ctx)
        if path and os.path.exists(path) and not (ctx.live or ctx.record):
            return self._replay(spec, path, messages)
        if ctx.record and not path:
            raise SourceError(Diagnostic(f"sources.{spec.name}: --record needs a `snapshot` file to write", spec.pos))
        req = self._request(spec, messages)
        try:
            run = self._ask(spec, req)
        except SourceError as e:
            if ctx.live or ctx.record:
                raise
            where = f"no snapshot at {spec.options['snapshot']}" if path else "no `snapshot` to replay"
            raise SourceError([Diagnostic(f"{d.message}; and {where}", d.pos, hint=RECORD_HINT)
                               for d in e.diagnostics]) from None
        if ctx.record and path:  # (--record without a path was refused above)
            ctx.recorded[path] = snapshot.encode(run, path)
        return run

    def _ask(self, spec: SourceSpec, req: ChatRequest) -> InferenceRun:
        """The request and its probes, with every secret redacted from the run and from any error."""
        try:
            run = run_chat(req, spec.pos_of("url"))
            if spec.options.get("probes", True):
                probes, stats = run_probes(req)
                run = replace(run, probes=probes, stats=stats)
        except SourceError as e:
            raise req.redactor.error(e) from None
        return outgoing_run(run, req.redactor)

    def synthetic(self, spec: SourceSpec, ctx: ResolveContext) -> InferenceRun:
        try:
            messages = self._messages(spec, ctx)
        except SourceError:  # a dry run needs no input files
            messages = (("user", f"(the prompt in {spec.options['prompt_file']})"),)
        o = spec.options
        url = public_url(o["url"]) if "url" in o else "(no server: synthetic)"  # an optional source left unset
        return synthetic_run(url, o.get("model"), messages, o.get("max_tokens", 128), o.get("stream", True))

    def mode(self, spec: SourceSpec, ctx: ResolveContext) -> str:
        """As ``load`` decides: a dry run is synthetic, ``--record`` and ``--live`` ask the server, an
        existing snapshot is replayed (or is what its ``provenance:`` declares, e.g. hand-made), and
        without one the server is asked."""
        if ctx.dry_run:
            return SYNTHETIC
        if ctx.record or ctx.live:
            return RECORDED if ctx.record else LIVE
        path = self._path(spec, ctx, "snapshot")
        if path and os.path.exists(path):
            return REPLAYED if declared(spec.options) == CAPTURED else declared(spec.options)
        return LIVE

    def inputs(self, spec: SourceSpec, ctx: ResolveContext) -> list[str]:
        keys = ("prompt_file",) if ctx.record else ("prompt_file", "snapshot")  # --record writes it, never reads it
        paths = [self._path(spec, ctx, key) for key in keys]
        return [p for p in paths if p and os.path.exists(p)]

    def _path(self, spec: SourceSpec, ctx: ResolveContext, key: str) -> str | None:
        """A file field resolved against the deck's directory (it may not exist yet: a snapshot to record)."""
        raw = spec.options.get(key)
        return os.path.normpath(os.path.join(ctx.deck.base_dir, os.path.expanduser(raw))) if raw else None

    def _messages(self, spec: SourceSpec, ctx: ResolveContext) -> tuple[tuple[str, str], ...]:
        o = spec.options
        if "messages" in o:
            return tuple((m["role"], m["content"]) for m in o["messages"])
        if "prompt_file" in o:
            return (("user", read_data(ctx.path(spec, "prompt_file"), what="prompt file", limits=ctx.limits, errors="replace")),)
        return (("user", o["prompt"]),)

    def _request(self, spec: SourceSpec, messages: tuple[tuple[str, str], ...]) -> ChatRequest:
        o = spec.options
        api_key = key_from_env(o["api_key_env"], spec.pos_of("api_key_env")) if "api_key_env" in o else None
        return ChatRequest(
            base_url=o["url"], messages=messages, model=o.get("model"), max_tokens=o.get("max_tokens", 128),
            temperature=o.get("temperature"), seed=o.get("seed"), extra_body=dict(o.get("extra_body", {})),
            api_key=api_key, timeout=float(o.get("timeout", 60)), retries=o.get("retries", 2),
            stream=o.get("stream", True), max_response_bytes=o.get("max_response_bytes", MAX_RESPONSE_BYTES))

    def _replay(self, spec: SourceSpec, path: str, messages: tuple[tuple[str, str], ...]) -> InferenceRun:
        """Read the snapshot and refuse a stale one: its request must be the one the deck asks for."""
        run = snapshot.read(path)
        o = spec.options
        stale = [key for key, recorded, wanted in (
            ("messages" if "messages" in o else "prompt_file" if "prompt_file" in o else "prompt", run.messages, messages),
            ("model", run.model, o.get("model", run.model)),
            ("max_tokens", run.max_tokens, o.get("max_tokens", 128)),
        ) if recorded != wanted]
        if stale:
            raise SourceError(Diagnostic(
                f"snapshot {o['snapshot']} was recorded for a different {', '.join(stale)}", spec.pos_of(stale[0]),
                hint=RECORD_HINT))
        return run
