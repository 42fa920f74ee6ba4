#!/usr/bin/env bash
# Set up tfeic on a fresh Debian/Ubuntu machine; safe to rerun (steps that are done are skipped,
# so a rerun is fast and needs no network).
#
#   scripts/setup.sh          fonts tfeic measures with, .venv, tfeic installed editable
#   scripts/setup.sh --test   also LibreOffice (the second-opinion tests) and the test extras, among
#                             them llama.cpp's server as a prebuilt wheel (xllamacpp: no C++ build)
#   scripts/setup.sh --test --build-llama-server
#                             also build llama.cpp's llama-server binary from source (opt-in, ~25 min
#                             on 2 cores, cached in ~/.cache/tfeic; the tests then use it instead)
#
# Why system fonts: tfeic proves text fits by measuring with the exact font files its theme names
# (Liberation = metric twins of Arial/Courier New); DejaVu (core: upright, extra: oblique) is what
# LibreOffice falls back to for characters Liberation lacks, so the themes measure those in it.
#
# Each step is one function named step_<what>; the lists BASE_STEPS / TEST_STEPS say which run.
# To add a step, write its function and append its name to a list.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/.." && pwd)"
cd "$REPO_ROOT"

VENV="$REPO_ROOT/.venv"
BASE_APT=(fonts-liberation fonts-dejavu-core fonts-dejavu-extra poppler-utils)  # poppler: `tfeic render --png`
TEST_APT=(libreoffice-impress)
BUILD_APT=(cmake g++)         # only for --build-llama-server
BASE_STEPS=(python_version system_packages venv python_packages)
BUILD_STEPS=(llama_server)    # only for --build-llama-server, run after BASE_STEPS
LOG_DIR="$REPO_ROOT/build/setup-logs"

WITH_TEST=0
WITH_BUILD=0
APT=("${BASE_APT[@]}")
EXTRAS=""

say() { printf '==> %s\n' "$*"; }
die() { printf 'setup.sh: error: %s\n' "$*" >&2; exit 1; }
run() { printf '    $ %s\n' "$*"; "$@"; }

usage() {
    sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

# True when the Debian package is installed; without dpkg, when what it provides is present.
have_package() {
    if command -v dpkg-query >/dev/null 2>&1; then
        dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'ok installed'
        return
    fi
    case "$1" in
        libreoffice-impress) command -v soffice >/dev/null 2>&1 ;;
        poppler-utils) command -v pdftoppm >/dev/null 2>&1 ;;
        fonts-liberation) fc-list 2>/dev/null | grep -q 'Liberation Sans' ;;
        fonts-dejavu-core) fc-list 2>/dev/null | grep -q 'DejaVu Sans' ;;
        fonts-dejavu-extra) fc-list 2>/dev/null | grep -q 'DejaVuSans-Oblique' ;;
        *) return 1 ;;
    esac
}

step_python_version() {
    python3 -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null \
        || die "tfeic needs python3 >= 3.10 (found: $(python3 --version 2>&1 || echo none))"
    say "python3: $(python3 --version 2>&1)"
}

step_system_packages() {
    local missing=() pkg sudo=()
    for pkg in "${APT[@]}"; do
        have_package "$pkg" || missing+=("$pkg")
    done
    if [ "${#missing[@]}" -eq 0 ]; then
        say "system packages present: ${APT[*]}"
        return
    fi
    say "installing system packages: ${missing[*]}"
    command -v apt-get >/dev/null 2>&1 \
        || die "apt-get is not available; install these packages (or their equivalents) yourself: ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "need root or sudo to install: ${missing[*]}"
        sudo=(sudo)
    fi
    run "${sudo[@]}" apt-get update
    run "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}

step_venv() {
    if [ -x "$VENV/bin/python" ]; then
        say "virtual environment present: .venv"
        return
    fi
    say "creating virtual environment: .venv"
    run python3 -m venv "$VENV"
}

# pip is rerun only when pyproject.toml or the chosen extras changed since the last success.
step_python_packages() {
    local target=".${EXTRAS:+[$EXTRAS]}" stamp="$VENV/.tfeic-setup" want
    want="$(sha256sum pyproject.toml | cut -d' ' -f1) $target"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        say "python packages up to date: pip install -e '$target'"
        return
    fi
    say "installing tfeic (editable) into .venv: $target"
    run "$VENV/bin/python" -m pip install --quiet --upgrade pip
    run "$VENV/bin/python" -m pip install --quiet -e "$target"
    printf '%s\n' "$want" >"$stamp"
}

# Opt-in: llama.cpp's llama-server binary built from the sources inside the llama-cpp-python sdist
# (cached in ~/.cache/tfeic; ~25 min once on 2 cores). Its compiler output goes to a log file.
step_llama_server() {
    local log="$LOG_DIR/build_llama_server.log"
    mkdir -p "$LOG_DIR"
    say "building llama-server (log: $log)"
    PATH="$VENV/bin:$PATH" scripts/build_llama_server.sh >"$log" 2>&1 \
        || die "building llama-server failed; see $log"
    say "llama-server: $(tail -n 1 "$log")"
}

summary() {
    say "summary:"
    printf '    python      %s (.venv)\n' "$("$VENV/bin/python" --version 2>&1)"
    printf '    tfeic       %s\n' "$("$VENV/bin/tfeic" --version 2>&1)"
    printf '    fonts       %s\n' "$(fc-list 2>/dev/null | grep -c -e Liberation -e DejaVu) Liberation/DejaVu files"
    if [ "$WITH_TEST" -eq 1 ]; then
        printf '    libreoffice %s\n' "$(command -v soffice || echo missing)"
        printf '    llm server  %s\n' "$("$VENV/bin/python" scripts/llama_server.py 2>&1)"
    fi
}

main() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --test) WITH_TEST=1 ;;
            --build-llama-server) WITH_TEST=1; WITH_BUILD=1 ;;
            -h | --help) usage; exit 0 ;;
            *) usage >&2; die "unknown option: $1" ;;
        esac
        shift
    done
    local steps=("${BASE_STEPS[@]}") step
    if [ "$WITH_TEST" -eq 1 ]; then
        APT+=("${TEST_APT[@]}")
        EXTRAS="test"
    fi
    if [ "$WITH_BUILD" -eq 1 ]; then
        APT+=("${BUILD_APT[@]}")
        steps+=("${BUILD_STEPS[@]}")
    fi
    say "tfeic setup in $REPO_ROOT${EXTRAS:+ (with --test)}"
    for step in "${steps[@]}"; do
        "step_$step"
    done
    summary
    say "done: run .venv/bin/tfeic --help"
}

main "$@"
