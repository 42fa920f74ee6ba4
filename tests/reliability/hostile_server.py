"""Real servers on 127.0.0.1 that attack the client: they echo its credentials back, name their model
with control characters, or drip their answers one byte at a time.

Both run in a daemon thread of the test process (a ``tfeic`` subprocess reaches them over TCP as
well). ``EchoServer`` is an HTTP server whose first path segment picks the behaviour, so one server
serves every case (``base_url("deny")`` is an OpenAI base URL that answers 401). ``DripServer`` is a
raw socket: it reads a request and sends its answer one byte every ``DRIP_S`` seconds, which no
per-read timeout ever stops.
"""

from __future__ import annotations

import base64
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DRIP_S = 0.2
HOSTILE_MODEL = "tiny\x1b]0;pwned\x07\x1b[31m\x01\ufffe"  # OSC title, colour, C0, a noncharacter
USAGE = {"prompt_tokens": 3, "completion_tokens": 4}


class _Echo(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args) -> None:
        pass

    def credentials(self) -> tuple[str, str]:
        """(the bearer key or the Basic user:password, as sent; the raw Authorization header)."""
        auth = self.headers.get("Authorization", "")
        kind, _, value = auth.partition(" ")
        if kind == "Basic":
            value = base64.b64decode(value).decode()
        return value, auth

    def do_GET(self) -> None:
        self.answer(None)

    def do_POST(self) -> None:
        self.answer(json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}"))

    def answer(self, request) -> None:
        scenario, _, path = self.path.lstrip("/").partition("/")
        secret, auth = self.credentials()
        if scenario == "deny":
            return self.send(401, {"error": {"message": f"invalid credentials {secret!r} ({auth}) for {path}"}})
        model = HOSTILE_MODEL if scenario == "hostile" else f"model-{secret}"
        if path == "v1/models":
            return self.send(200, {"data": [{"id": model}]})
        if path == "version" and scenario == "odd":
            return self.send(200, {"version": float("nan"), "big": 10 ** 400, "nested": {"a": [1]}})
        if path == "version":
            return self.send(200, {"version": secret, "auth": auth, "quoted": json.dumps(secret)})
        if path == "metrics":
            return self.send(500, {"detail": f"metrics refused for {secret}"})
        if path != "v1/chat/completions":
            return self.send(404, {"error": "not found"})
        if scenario == "odd":  # values of the wrong type where numbers and labels belong
            return self.send(200, {"choices": [{"message": {"content": "odd"}, "finish_reason": 7}], "usage": {
                "prompt_tokens": "12", "completion_tokens": -1, "prompt_tokens_details": {"cached_tokens": True}}})
        text = f"your key is {secret}, and again: {auth}"
        if not request.get("stream"):
            return self.send(200, {"model": model, "usage": USAGE, "choices": [
                {"message": {"content": text}, "finish_reason": "stop"}]})
        pieces = [text[i:i + 3] for i in range(0, len(text), 3)]  # the key split over many frames
        frames = [{"model": model, "choices": [{"delta": {"content": p}, "finish_reason": None}]} for p in pieces]
        frames.append({"model": model, "choices": [{"delta": {}, "finish_reason": "stop"}], "usage": USAGE})
        body = b"".join(b"data: " + json.dumps(f).encode() + b"\n\n" for f in frames) + b"data: [DONE]\n\n"
        self.send_raw(200, body, "text/event-stream")

    def send(self, status: int, value) -> None:
        self.send_raw(status, json.dumps(value).encode(), "application/json")

    def send_raw(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("X-Echo", self.headers.get("Authorization", ""))
        self.end_headers()
        self.wfile.write(body)


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        """A client that hangs up is no news; printed, it would land in the captured stderr of the
        ``tfeic`` command under test (same process) and read as its traceback."""


class EchoServer:
    def __init__(self):
        self._server = _QuietServer(("127.0.0.1", 0), _Echo)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def base_url(self, scenario: str, userinfo: str = "") -> str:
        return f"http://{userinfo + '@' if userinfo else ''}127.0.0.1:{self._server.server_address[1]}/{scenario}"

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()


def _response(status: str, body: bytes) -> bytes:
    return (f"HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"Connection: close\r\n\r\n").encode() + body


COMPLETION = _response("200 OK", json.dumps({"model": "tiny", "usage": USAGE, "choices": [
    {"message": {"content": "dripped"}, "finish_reason": "stop"}]}).encode())
MODELS = _response("200 OK", json.dumps({"data": [{"id": "tiny"}]}).encode())


class DripServer:
    """``mode`` says what is dripped: "all" (every answer, from its status line on), "error" (a 401
    whose headers come at once and whose body drips) or "probes" (the chat answer comes at once,
    every other request drips)."""

    def __init__(self, mode: str):
        self.mode = mode
        self._sock = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._sock.accept()
            except OSError:  # closed: the test is over
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        try:
            with conn:
                self._answer(conn)
        except OSError:  # the client gave up, as it should (an exception here would print to stderr)
            return

    def _answer(self, conn: socket.socket) -> None:
        request = b""
        while b"\r\n\r\n" not in request:
            data = conn.recv(65536)
            if not data:
                return
            request += data
        chat = request.startswith(b"POST") and b"/v1/chat/completions" in request.split(b"\r\n", 1)[0]
        answer = COMPLETION if chat else MODELS
        if self.mode == "probes" and chat:
            return conn.sendall(answer)
        if self.mode == "error":
            body = json.dumps({"error": {"message": "denied " * 50}}).encode()
            answer = _response("401 Unauthorized", body)
            head = answer.index(b"\r\n\r\n") + 4
            conn.sendall(answer[:head])
            answer = answer[head:]
        for i in range(len(answer)):
            conn.sendall(answer[i:i + 1])
            time.sleep(DRIP_S)

    def close(self) -> None:
        self._sock.close()
