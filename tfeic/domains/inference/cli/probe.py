"""``tfeic probe URL [--prompt TEXT] [--max-tokens N] [--timeout SECONDS] [--json]``: send one request
to an OpenAI-compatible server, measure it (TTFT, inter-token gaps, tokens/s, bytes on the wire,
usage) and try the optional endpoints. For checking a server before pointing a deck at it.
``--json`` is a stable contract: schemas/probe.schema.json.

Errors are placed like a deck's: at the argument they concern (``URL: error: connection refused
...``, ``--max-tokens: error: ...``). What the server says is redacted of the API key and the URL's
user:password, and printed with control characters escaped."""

from __future__ import annotations

import math

from tfeic.core.diagnostics import Pos, flag_error
from tfeic.core.terminal import print_json, show, terminal_safe

DEFAULT_PROMPT = "Explain in one sentence what a KV cache is."


def add_parser(subparsers) -> None:
    parser = subparsers.add_parser("probe", help="measure one request to an OpenAI-compatible server")
    parser.add_argument("url", metavar="URL", help="server base URL, e.g. http://localhost:8000")
    parser.add_argument("--prompt", default=DEFAULT_PROMPT, metavar="TEXT", help="the user message")
    parser.add_argument("--max-tokens", type=int, default=64, metavar="N", help="tokens to generate at most (default 64)")
    parser.add_argument("--timeout", type=float, default=60.0, metavar="SECONDS", help="limit for the whole request (default 60)")
    parser.add_argument("--model", metavar="NAME", help="model to ask for (default: the first of /v1/models)")
    parser.add_argument("--api-key-env", metavar="VAR", help="environment variable holding the API key (Bearer)")
    parser.add_argument("--no-stream", dest="stream", action="store_false", help="ask for one JSON response instead of SSE")
    parser.add_argument("--json", action="store_true", help="print the result as JSON (schemas/probe.schema.json)")
    parser.set_defaults(func=run)


def run(args) -> int:
    from dataclasses import replace

    from tfeic.core.diagnostics import SourceError
    from ..client import ChatRequest, run_chat
    from ..probes import run_probes
    from ..report import probe_dict
    from ..secrets import key_from_env, outgoing_run

    _check(args)
    api_key = key_from_env(args.api_key_env, Pos("--api-key-env")) if args.api_key_env else None
    req = ChatRequest(base_url=args.url, messages=(("user", args.prompt),), model=args.model,
                      max_tokens=args.max_tokens, timeout=args.timeout, stream=args.stream, api_key=api_key)
    try:
        result = run_chat(req, Pos("URL"))
        probes, stats = run_probes(req)
    except SourceError as e:
        raise req.redactor.error(e) from None
    result = outgoing_run(replace(result, probes=probes, stats=stats), req.redactor)
    if args.json:
        print_json(probe_dict(result))
    else:
        show(format_text(result))
    return 0


def _check(args) -> None:
    """Arguments no server should see (exit 2, at the argument)."""
    if not args.url.lower().startswith(("http://", "https://")):
        raise flag_error("URL", "expected an http:// or https:// URL")
    if args.max_tokens < 1:
        raise flag_error("--max-tokens", f"expected at least 1, got {args.max_tokens}")
    if not (math.isfinite(args.timeout) and args.timeout > 0):
        raise flag_error("--timeout", f"expected a positive number of seconds, got {args.timeout:g}")


def format_text(run) -> str:
    """The run for a terminal (``show`` escapes it); each one-line field the server chose is escaped
    with its newlines too, so it stays on its line."""
    from .. import report

    def field(text: str) -> str:
        return terminal_safe(text, one_line=True)

    gaps = run.inter_token_s
    lines = [
        f"server:      {field(run.url)}",
        f"model:       {field(run.model)}",
        f"TTFT:        {report.seconds(run.ttft_s)}",
        f"latency:     {report.seconds(run.latency_s)}",
        f"decode:      {report.rate(run.tokens_per_s)}",
        f"gaps:        {len(gaps)} (median {report.seconds(sorted(gaps)[len(gaps) // 2]) if gaps else 'n/a'}, "
        f"max {report.seconds(max(gaps)) if gaps else 'n/a'})",
        f"tokens:      {report.count(run.prompt_tokens)} prompt, {report.count(run.completion_tokens)} completion, "
        f"{report.count(run.cached_tokens)} cached (usage from {run.usage_source})",
        f"bytes:       {report.size(run.bytes_sent)} sent, {report.size(run.bytes_received)} received",
        f"finish:      {field(run.finish_reason or 'n/a')}",
        "probes:",
    ]
    for p in run.probes:
        detail = p.message or ", ".join(f"{k}={v}" for k, v in p.data.items())
        lines.append(field(f"  {p.endpoint:<24} {p.status:<7} {detail}".rstrip()))
    lines += ["text:", run.text]
    return "\n".join(lines)
