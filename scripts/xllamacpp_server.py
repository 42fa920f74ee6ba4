"""llama.cpp's HTTP server from the ``xllamacpp`` wheel, started with ``llama-server``'s own flags.

``xllamacpp`` (PyPI, MIT; https://github.com/xorbitsai/xllamacpp) is a prebuilt build of llama.cpp
whose ``Server`` runs llama.cpp's native C++ server (``tools/server``) inside the Python process, on
``CommonParams.hostnames``/``port``: the same OpenAI-compatible endpoints, ``/metrics`` and
``/health`` as the ``llama-server`` binary, with no C++ build. This script takes the subset of
``llama-server``'s flags that ``llama_server.py`` passes and serves until SIGTERM/SIGINT.
"""

from __future__ import annotations

import argparse
import signal
import threading


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-m", dest="model", required=True)
    parser.add_argument("--alias", default="")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--metrics", action="store_true")
    parser.add_argument("-c", dest="ctx", type=int, default=4096)
    parser.add_argument("-np", dest="parallel", type=int, default=1)
    parser.add_argument("-t", dest="threads", type=int, default=1)
    parser.add_argument("--no-warmup", action="store_true")
    args = parser.parse_args()

    import xllamacpp as xlc

    params = xlc.CommonParams()
    params.model.path = args.model
    params.model_alias = {args.alias} if args.alias else set()  # a set of names in this llama.cpp
    params.hostnames = [args.host]
    params.port = args.port
    params.endpoint_metrics = args.metrics
    params.n_ctx = args.ctx
    params.n_parallel = args.parallel
    params.cpuparams.n_threads = args.threads
    params.warmup = not args.no_warmup
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    server = xlc.Server(params)  # the HTTP server lives as long as this object
    print(f"xllamacpp {xlc.__version__}: llama.cpp server listening on {server.listening_address}", flush=True)
    stop.wait()


if __name__ == "__main__":
    main()
