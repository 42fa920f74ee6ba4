"""Record and replay: an ``InferenceRun`` as a JSON file that lives in git next to the deck.

Why: a deck about a live server must rebuild identically offline and on CI. ``tfeic build --record``
writes what the server source observed (frame timings, text, usage, statistics, probe results);
a normal build reads it back. The file holds observations only, never headers or keys (the request
part keeps the URL without credentials, the model, the messages and max_tokens, to detect a stale
snapshot). Format: ``schemas/snapshot.schema.json``. This module only encodes and decodes: the build
writes a recorded snapshot with its other outputs, atomically and only once the build succeeded, so a
failed request or build never leaves a half-written or changed snapshot behind.
"""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Any

from ...core.diagnostics import Diagnostic, Pos, SourceError
from ...core.jsonfile import load_json_file
from ..trtllm.metrics import KvCacheStats
from .model import Frame, InferenceRun, ProbeResult, ServerStats
from .schemas import validator

FORMAT = "tfeic-inference-snapshot"
VERSION = 1


def to_json(run: InferenceRun) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "version": VERSION,
        "request": {
            "url": run.url, "model": run.model, "max_tokens": run.max_tokens, "stream": run.stream,
            "messages": [{"role": r, "content": c} for r, c in run.messages],
        },
        "response": {
            "text": run.text,
            "finish_reason": run.finish_reason,
            "latency_s": run.latency_s,
            "bytes_sent": run.bytes_sent,
            "bytes_received": run.bytes_received,
            "usage": {"prompt_tokens": run.prompt_tokens, "completion_tokens": run.completion_tokens,
                      "cached_tokens": run.cached_tokens, "source": run.usage_source},
            "frames": [{"t_s": f.t_s, "text": f.text} for f in run.frames],
        },
        "probes": [asdict(p) for p in run.probes],
        "stats": asdict(run.stats) if run.stats else None,
    }


def from_json(doc: dict[str, Any]) -> InferenceRun:
    """A validated snapshot document -> the run it recorded (``origin="replay"``)."""
    req, resp = doc["request"], doc["response"]
    usage = resp["usage"]
    stats = doc.get("stats")
    if stats:
        kv = stats.get("kv_cache_stats")
        stats = ServerStats(**{**stats, "kv_cache_stats": KvCacheStats(**kv) if kv else None})
    return InferenceRun(
        url=req["url"], model=req["model"], max_tokens=req.get("max_tokens"), stream=req["stream"],
        messages=tuple((m["role"], m["content"]) for m in req["messages"]),
        text=resp["text"], finish_reason=resp.get("finish_reason"), latency_s=resp["latency_s"],
        bytes_sent=resp["bytes_sent"], bytes_received=resp["bytes_received"],
        prompt_tokens=usage.get("prompt_tokens"), completion_tokens=usage.get("completion_tokens"),
        cached_tokens=usage.get("cached_tokens"), usage_source=usage["source"],
        frames=tuple(Frame(f["t_s"], f["text"]) for f in resp["frames"]),
        probes=tuple(ProbeResult(**p) for p in doc.get("probes", ())),
        stats=stats, origin="replay")


def read(path: str) -> InferenceRun:
    return _decode(load_json_file(path, "snapshot"), path)


def encode(run: InferenceRun, path: str) -> bytes:
    """The snapshot file's bytes (same run, same bytes), checked to replay: a recording that
    could not be read back is refused now (exit 3), rather than written to break every replay."""
    try:  # NaN or Infinity in a measured value (not JSON for other readers), a lone surrogate in text
        data = (json.dumps(to_json(run), indent=2, ensure_ascii=False, allow_nan=False) + "\n").encode()
    except (ValueError, UnicodeEncodeError) as err:
        raise SourceError(Diagnostic(f"the recorded run cannot be stored as a snapshot: {err}", Pos(path))) from None
    _decode(json.loads(data), path)
    return data


def _decode(doc: Any, path: str) -> InferenceRun:
    import jsonschema

    error = jsonschema.exceptions.best_match(validator("snapshot.schema.json").iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top level)"
        raise SourceError(Diagnostic(f"snapshot {where}: {error.message}", Pos(path),
                                     hint="see schemas/snapshot.schema.json, or record it again with --record"))
    return from_json(doc)
