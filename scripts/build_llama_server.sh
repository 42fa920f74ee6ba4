#!/usr/bin/env bash
# Build llama.cpp's `llama-server`, the real OpenAI-compatible server the inference tests talk to.
#
# Why from the llama-cpp-python sdist: PyPI is reachable wherever `pip` is, and that sdist vendors a
# pinned llama.cpp tree, so CI needs no git clone and no model hub. The binary is cached outside the
# repo (keyed by version) and the script exits at once when it is already there.
#
# Usage: scripts/build_llama_server.sh        -> prints the path of the llama-server binary
# Env:   TFEIC_LLAMA_CACHE (default ~/.cache/tfeic/llama-server), JOBS (default: nproc)
set -euo pipefail

VERSION=0.3.36
CACHE_ROOT="${TFEIC_LLAMA_CACHE:-$HOME/.cache/tfeic/llama-server}"
DEST="$CACHE_ROOT/$VERSION"
BIN="$DEST/bin/llama-server"

if [[ -x "$BIN" ]]; then
    echo "$BIN"
    exit 0
fi

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

pip download --quiet --no-deps --no-binary :all: --dest "$WORK" "llama-cpp-python==$VERSION" >&2
tar -xzf "$WORK/llama_cpp_python-$VERSION.tar.gz" -C "$WORK"
SRC="$WORK/llama_cpp_python-$VERSION/vendor/llama.cpp"

# Static, CPU-only, portable (no -march=native: the cache may move between machines), no web UI
# download, no TLS, nothing but the server.
GENERATOR=()
if command -v ninja >/dev/null; then GENERATOR=(-G Ninja); fi
cmake -S "$SRC" -B "$WORK/build" "${GENERATOR[@]}" >&2 \
    -DCMAKE_BUILD_TYPE=Release \
    -DBUILD_SHARED_LIBS=OFF \
    -DGGML_NATIVE=OFF \
    -DLLAMA_BUILD_TESTS=OFF \
    -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_BUILD_TOOLS=ON \
    -DLLAMA_BUILD_SERVER=ON \
    -DLLAMA_BUILD_APP=OFF \
    -DLLAMA_BUILD_UI=OFF \
    -DLLAMA_USE_PREBUILT_UI=OFF \
    -DLLAMA_OPENSSL=OFF
nice -n 10 cmake --build "$WORK/build" --target llama-server -j "${JOBS:-$(nproc)}" >&2

mkdir -p "$DEST/bin"
cp "$WORK/build/bin/llama-server" "$BIN.tmp"
mv "$BIN.tmp" "$BIN"
echo "$BIN"
