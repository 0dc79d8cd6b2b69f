#!/usr/bin/env bash
# fuzz/run.sh SECONDS [TARGET...] — builds the libFuzzer targets with clang
# (in build-fuzz/, if needed) and runs each for SECONDS, seeded with
# tests/data/good, tests/data/bad and fuzz/seeds (links and control
# characters).  Targets default to fuzz_load and,
# when it exists, fuzz_render.  Exits non-zero when a target crashes, leaks
# or times out; the input that did it is left in build-fuzz/artifacts/.
set -euo pipefail

if [ $# -lt 1 ] || ! [[ $1 =~ ^[0-9]+$ ]]; then
    echo "usage: fuzz/run.sh SECONDS [TARGET...]" >&2
    exit 2
fi
seconds=$1
shift
cd "$(dirname "$0")/.."
root=$PWD
build=${FUZZ_BUILD_DIR:-$root/build-fuzz}

targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=(fuzz_load)
    [ -f fuzz/fuzz_render.c ] && targets+=(fuzz_render)
fi

if ! command -v clang >/dev/null; then
    echo "fuzz/run.sh: clang is needed (Debian: apt-get install clang)" >&2
    exit 2
fi
if ! grep -q '^TIMELINE_FUZZ:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    CC=clang cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Debug \
        -DTIMELINE_FUZZ=ON -DTIMELINE_TEST_SANITIZERS=OFF -DBUILD_TESTING=OFF >/dev/null
fi
cmake --build "$build" -j"$(nproc 2>/dev/null || echo 2)" --target "${targets[@]}"

mkdir -p "$build/artifacts"
# Fontconfig's process-lifetime caches and a GLib thread-exit leak are not
# ours (tests/lsan.supp).  With G_SLICE=always-malloc every GLib object is
# an allocation of its own, so LSan sees a Pango object we fail to free,
# which GSlice's shared slabs would hide.
export G_SLICE=always-malloc
export LSAN_OPTIONS="suppressions=$root/tests/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
for t in "${targets[@]}"; do
    corpus=$build/corpus-$t
    mkdir -p "$corpus"
    echo "== $t for ${seconds}s"
    # The first directory receives new inputs; the seeds are only read.
    # Leaks are checked once, when the run ends, not after each input.  Pango
    # starts and ends a thread for each font map, and the per-input check
    # now and then reports GLib memory of such a thread (2,032 bytes from
    # g_malloc0, 72 from g_realloc; about once in 100,000 inputs, and never
    # again when the input is run alone).
    "$build/fuzz/$t" -max_len=65536 -max_total_time="$seconds" -timeout=10 \
        -rss_limit_mb=2048 -print_final_stats=1 -detect_leaks=0 \
        -artifact_prefix="$build/artifacts/$t-" \
        "$corpus" tests/data/good tests/data/bad fuzz/seeds
done
