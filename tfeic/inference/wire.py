"""Counting the bytes a request really puts on and takes off the wire.

Servers do not report it and httpx only shows decoded bodies, so the count happens at the socket:
a network backend whose streams add up every byte written and read (request line, headers, body,
chunked framing, TLS records when https). httpx 0.28 has no public hook for the network backend, so
``wire_transport`` builds httpx's own ``HTTPTransport`` and gives it a pool over the counting backend.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class WireCounter:
    sent: int = 0
    received: int = 0


def wire_transport(counter: WireCounter):
    """An ``httpx.HTTPTransport`` (no proxies from the environment) whose sockets update ``counter``."""
    import httpcore
    import httpx

    class CountingStream(httpcore.NetworkStream):
        def __init__(self, inner: httpcore.NetworkStream):
            self._inner = inner

        def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
            data = self._inner.read(max_bytes, timeout)
            counter.received += len(data)
            return data

        def write(self, buffer: bytes, timeout: float | None = None) -> None:
            self._inner.write(buffer, timeout)
            counter.sent += len(buffer)

        def close(self) -> None:
            self._inner.close()

        def start_tls(self, ssl_context, server_hostname=None, timeout=None):
            return CountingStream(self._inner.start_tls(ssl_context, server_hostname, timeout))

        def get_extra_info(self, info: str):
            return self._inner.get_extra_info(info)

    class CountingBackend(httpcore.NetworkBackend):
        def __init__(self):
            self._inner = httpcore.SyncBackend()

        def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
            return CountingStream(self._inner.connect_tcp(host, port, timeout, local_address, socket_options))

        def connect_unix_socket(self, path, timeout=None, socket_options=None):
            return CountingStream(self._inner.connect_unix_socket(path, timeout, socket_options))

        def sleep(self, seconds: float) -> None:
            self._inner.sleep(seconds)

    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(), network_backend=CountingBackend(), max_connections=1)
    return transport
