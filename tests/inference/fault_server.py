"""A tiny real HTTP server that misbehaves the ways real servers do, or would if they could.

Run as a process by the tests (``python3 fault_server.py SCENARIO``): it binds 127.0.0.1 on a free
port, prints the port, and serves until killed. Real sockets, real HTTP/1.1 chunked streams: only
the server's behaviour is scripted, never the client's view of it.

Scenarios (for POST /v1/chat/completions):
  trtllm     trtllm-serve's shapes: ``data: {json} \\n\\n``, a role-only first frame, a float
             ``created``, unknown fields, a separate usage frame with cached tokens, ``[DONE]``; its
             ``/metrics`` is the iteration-stats example from the TensorRT-LLM docs, plus /version,
             /perf_metrics and /kv_cache_events
  tolerant   CRLF lines, keep-alive comments, ``event:``/``id:`` lines, usage on the finish frame,
             no ``[DONE]``
  no_usage   frames but never a usage object
  malformed  the second frame is not JSON
  cut        three frames, then the connection closes in the middle of the chunked body
  silent     accepts the request and never answers
  trickle    answers 200 and then sends a keep-alive comment every 0.2 s, forever
  flaky      503 (with an error message) on the first request, then the trtllm stream
  bad_request  400 with an OpenAI error object
  ignores_stream  a plain JSON completion although a stream was asked for
"""

from __future__ import annotations

import json
import socket
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

METRICS_FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "trtllm" / "metrics_example_from_docs.json"
WORDS = ["Hello", ",", " KV", " world", "!"]


def chunk(data: dict) -> dict:
    return {"id": "chatcmpl-1", "object": "chat.completion.chunk", "created": 1717171717.25, "model": "tiny",
            "system_fingerprint": None, "x_unknown": {"nested": [1, 2]}, **data}


def delta(content: str | None = None, finish: str | None = None, role: str | None = None) -> dict:
    d = {}
    if role:
        d["role"] = role
    if content is not None:
        d["content"] = content
    return {"choices": [{"index": 0, "delta": d, "logprobs": None, "finish_reason": finish}]}


USAGE = {"prompt_tokens": 12, "completion_tokens": len(WORDS), "total_tokens": 12 + len(WORDS),
         "prompt_tokens_details": {"cached_tokens": 8}}


def trtllm_frames() -> list[bytes]:
    frames = [chunk(delta(role="assistant"))] + [chunk(delta(w)) for w in WORDS]
    frames.append(chunk(delta("", finish="length")))
    frames.append(chunk({"choices": [], "usage": USAGE}))
    return [b"data: " + json.dumps(f).encode() + b" \n\n" for f in frames] + [b"data: [DONE]\n\n"]


def tolerant_frames() -> list[bytes]:
    out = [b": keep-alive\r\n\r\n", b"event: message\r\nid: 1\r\ndata: " + json.dumps(chunk(delta(role="assistant"))).encode() + b"\r\n\r\n"]
    for w in WORDS:
        out.append(b"data:" + json.dumps(chunk(delta(w))).encode() + b"\r\n\r\n")
        out.append(b":\r\n\r\n")
    out.append(b"data: " + json.dumps(chunk({**delta(finish="stop"), "usage": USAGE})).encode() + b"\r\n\r\n")
    return out


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    scenario = "trtllm"
    requests_seen = 0

    def log_message(self, *args) -> None:  # keep the test output clean
        pass

    def do_GET(self) -> None:
        if self.scenario != "trtllm":
            return self.send_json(404, {"error": "not found"})
        if self.path == "/metrics":
            return self.send_body(200, METRICS_FIXTURE.read_bytes(), "application/json")
        if self.path == "/version":
            return self.send_json(200, {"version": "0.21.0"})
        if self.path == "/health":
            return self.send_body(200, b"", "text/plain")
        if self.path == "/v1/models":
            return self.send_json(200, {"object": "list", "data": [{"id": "tiny", "object": "model", "created": 1, "owned_by": "tensorrt_llm"}]})
        if self.path == "/perf_metrics":
            return self.send_json(200, [{"request_id": 1, "perf_metrics": {"kv_cache_metrics": {"num_reused_blocks": 1}}}])
        return self.send_json(404, {"error": "not found"})

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.path == "/kv_cache_events":
            if self.scenario != "trtllm":
                return self.send_json(404, {"error": "not found"})
            return self.send_json(200, [{"event_id": 0, "data": {"type": "created"}, "window_size": 32},
                                        {"event_id": 1, "data": {"type": "stored"}, "window_size": 32}])
        Handler.requests_seen += 1
        request = json.loads(body)
        scenario = self.scenario
        if scenario == "flaky":
            if Handler.requests_seen == 1:
                return self.send_json(503, {"object": "error", "message": "engine warming up", "code": 503})
            scenario = "trtllm"
        if scenario == "bad_request":
            return self.send_json(400, {"error": {"message": "max_tokens must be positive", "type": "invalid_request_error"}})
        if scenario == "silent":
            time.sleep(3600)
        if not request.get("stream") or scenario == "ignores_stream":
            return self.send_json(200, {"id": "c", "object": "chat.completion", "created": 1.5, "model": "tiny",
                                        "choices": [{"index": 0, "message": {"role": "assistant", "content": "".join(WORDS)},
                                                     "finish_reason": "length"}], "usage": USAGE})
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        if scenario == "trickle":
            while True:
                self.write_chunk(b": still thinking\n\n")
                time.sleep(0.2)
        frames = {
            "trtllm": trtllm_frames,
            "tolerant": tolerant_frames,
            "no_usage": lambda: trtllm_frames()[:-2] + [b"data: [DONE]\n\n"],
            "malformed": lambda: trtllm_frames()[:1] + [b"data: {\"choices\": [\n\n"],
            "cut": lambda: trtllm_frames()[:3],
        }[scenario]()
        for frame in frames:
            self.write_chunk(frame)
            time.sleep(0.01)
        if scenario == "cut":
            self.connection.shutdown(socket.SHUT_RDWR)  # mid-body: no terminating chunk
            return
        self.wfile.write(b"0\r\n\r\n")

    def write_chunk(self, data: bytes) -> None:
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

    def send_json(self, status: int, value) -> None:
        self.send_body(status, json.dumps(value).encode(), "application/json")

    def send_body(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    Handler.scenario = sys.argv[1]
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
