"""Counting the bytes a request really puts on and takes off the wire, and bounding each exchange.

Servers do not report it and httpx only shows decoded bodies, so the count happens at the socket:
a network backend whose streams add up every byte written and read (request line, headers, body,
chunked framing, TLS records when https). httpx 0.28 has no public hook for the network backend, so
``wire_transport`` builds httpx's own ``HTTPTransport`` and gives it a pool over the counting backend.

The same place bounds an exchange as a whole. httpx's timeouts bound each socket operation, so a
server that drips its status line, headers or body one byte per second is never timed out; here
every operation gets at most the time left until ``WireCounter.deadline`` and fails with
httpcore's own timeout once it has passed (httpx reports it as a ``TimeoutException``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass


@dataclass
class WireCounter:
    sent: int = 0
    received: int = 0
    deadline: float | None = None  # time.monotonic() by which the current exchange must be over
    answered: bool = False  # whether any byte arrived in the current exchange

    def limit(self, seconds: float) -> None:
        """Start an exchange that must be over within ``seconds``."""
        self.deadline = time.monotonic() + seconds
        self.answered = False

    def left(self, timeout: float | None) -> float | None:
        """The bound for one socket operation: ``timeout``, or less when the deadline is nearer."""
        if self.deadline is None:
            return timeout
        import httpcore

        left = self.deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ReadTimeout("the exchange's deadline has passed")
        return left if timeout is None else min(timeout, left)


def wire_transport(counter: WireCounter):
    """An ``httpx.HTTPTransport`` (no proxies from the environment) whose sockets update ``counter``
    and end the exchange at its deadline."""
    import httpcore
    import httpx

    class CountingStream(httpcore.NetworkStream):
        def __init__(self, inner: httpcore.NetworkStream):
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            data = self._inner.read(max_bytes, counter.left(timeout))
            counter.received += len(data)
            counter.answered = counter.answered or bool(data)
            return data

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, counter.left(timeout))
            counter.sent += len(buffer)

        def close(self) -> None:
            self._inner.close()

        def start_tls(self, ssl_context, server_hostname=None, timeout=None):
            return CountingStream(self._inner.start_tls(ssl_context, server_hostname, counter.left(timeout)))

        def get_extra_info(self, info: str):
            return self._inner.get_extra_info(info)

    class CountingBackend(httpcore.NetworkBackend):
        def __init__(self):
            self._inner = httpcore.SyncBackend()

        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            return CountingStream(self._inner.connect_tcp(host, port, counter.left(timeout), local_address, socket_options))

        def connect_unix_socket(self, path, timeout=None, socket_options=None):
            return CountingStream(self._inner.connect_unix_socket(path, counter.left(timeout), socket_options))

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=CountingBackend(), max_connections=1)
    return transport
