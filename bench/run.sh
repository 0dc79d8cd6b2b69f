#!/usr/bin/env bash
# run.sh — the benchmark suite: `timeline render` against the floor program
# (bench-floor) on generated inputs of growing size and on the project's
# dataset, in SVG, PDF and PNG.  Writes docs/performance.md and
# docs/performance.png.  See bench/README.md.
#
# Usage: bench/run.sh [BUILD_DIR]        (default: ./build under the source root)
#
# Environment (all optional):
#   BENCH_SIZES     event counts to generate      (default "30 1000 10000 100000")
#   BENCH_FORMATS   output formats                (default "svg pdf png")
#   BENCH_DOCS      where to write the report     (default <root>/docs)
#   BENCH_DATASET   the real-data input           (default <root>/data/events.yaml)
#   BENCH_RUNS      runs of each program per cell, N < 10000  (default 21)
#   BENCH_RUNS_MID  runs of each program per cell, N = 10000  (default 9)
#   BENCH_RUNS_BIG  runs of each program per cell, N >= 100000 (default 3)
#   BENCH_NO_HYPERFINE=1  time with the shell loop even if hyperfine exists
#   BENCH_NO_CALLGRIND=1  skip the callgrind count
#
# Needs: bash, awk, /usr/bin/time (Debian package `time`).  Uses when present:
# hyperfine, valgrind (callgrind), gnuplot (Debian package `gnuplot-nox`).
set -euo pipefail

die() {
    printf 'run.sh: %s\n' "$*" >&2
    exit 2
}
say() { printf '%s\n' "$*" >&2; }

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
build_arg=${1:-$root/build}
[[ $# -le 1 ]] || die "usage: bench/run.sh [BUILD_DIR]"
build_hint="configure and build it first:
  cmake -S $root -B $build_arg -DCMAKE_BUILD_TYPE=Release && cmake --build $build_arg -j$(nproc 2>/dev/null || echo 2)"
[[ -d $build_arg ]] || die "no build directory '$build_arg' — $build_hint"
build=$(cd "$build_arg" && pwd)

timeline=
for t in "$build/timeline" "$build/src/timeline"; do
    if [[ -x $t ]]; then
        timeline=$t
        break
    fi
done
gen=$build/bench/bench-gen
floor=$build/bench/bench-floor
missing=()
[[ -n $timeline ]] || missing+=("src/timeline")
[[ -x $gen ]] || missing+=("bench/bench-gen")
[[ -x $floor ]] || missing+=("bench/bench-floor")
if ((${#missing[@]})); then
    die "the build directory '$build' lacks ${missing[*]} — $build_hint"
fi
[[ -x /usr/bin/time ]] ||
    die "/usr/bin/time (GNU time) is needed for peak memory — install the Debian package 'time'"

sizes=${BENCH_SIZES:-30 1000 10000 100000}
formats=${BENCH_FORMATS:-svg pdf png}
docs=${BENCH_DOCS:-$root/docs}
runs_small=${BENCH_RUNS:-21}
runs_mid=${BENCH_RUNS_MID:-9}
runs_big=${BENCH_RUNS_BIG:-3}
dataset=${BENCH_DATASET:-$root/data/events.yaml}
dataset_rel=${dataset#"$root"/}
[[ -f $dataset ]] || die "the dataset $dataset is missing"
mkdir -p "$docs"

have_hyperfine=0
if [[ ${BENCH_NO_HYPERFINE:-0} != 1 ]] && command -v hyperfine >/dev/null &&
    hyperfine -N --runs 1 --style none true >/dev/null 2>&1; then
    have_hyperfine=1
fi
have_gnuplot=0
if command -v gnuplot >/dev/null; then
    have_gnuplot=1
else
    say "run.sh: gnuplot not found — install the Debian package 'gnuplot-nox' for the plot;"
    say "        the report is written without it."
fi
have_valgrind=0
if [[ ${BENCH_NO_CALLGRIND:-0} != 1 ]]; then
    if command -v valgrind >/dev/null; then
        have_valgrind=1
    else
        say "run.sh: valgrind not found — install the Debian package 'valgrind' for the"
        say "        instruction count; skipping it."
    fi
fi

build_type=$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
sanitize=$(sed -n 's/^TIMELINE_SANITIZE:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
case ${build_type:-?} in
Release | RelWithDebInfo) ;;
*) say "run.sh: warning: '$build' is a '${build_type:-unknown}' build; numbers are meant for Release." ;;
esac
case ${sanitize:-OFF} in
ON | on | 1 | TRUE | true) say "run.sh: warning: '$build' is built with sanitizers; its times are not representative." ;;
esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/timeline-bench.XXXXXX")
cleanup() { rm -rf "$tmp"; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

started=$(date +%s)

# ---- measuring -------------------------------------------------------------

# one_run_ms CMD... — wall-clock milliseconds of one run of CMD; fails if
# CMD fails.  hyperfine -N times it without a shell in between.
one_run_ms() {
    if ((have_hyperfine)); then
        hyperfine -N --style none --runs 1 --export-json "$tmp/hyperfine.json" \
            "$(printf '%q ' "$@")" >/dev/null 2>"$tmp/hyperfine.err" || return 1
        LC_ALL=C awk -F': *' '/"median"/ { gsub(/[ ,]/, "", $2); printf "%.3f\n", $2 * 1000; exit }' \
            "$tmp/hyperfine.json"
    else
        local t0 t1
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1 || return 1
        t1=$(date +%s%N)
        LC_ALL=C awk -v d=$((t1 - t0)) 'BEGIN { printf "%.3f\n", d / 1e6 }'
    fi
}

# median FILE — the median of the numbers in FILE, one a line.
median() {
    sort -g "$1" | LC_ALL=C awk '{ a[NR] = $1 }
        END { if (NR == 0) exit 1
              m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
              printf "%.2f", m }'
}

# time_pair RUNS A B — times the commands in the arrays named A and B,
# alternating one run of each RUNS times, so that a slow spell of a shared
# machine slows both rather than one; sets $ms_a and $ms_b to the medians
# (or "failed").
ms_a=
ms_b=
time_pair() {
    local runs=$1 i t
    local -n cmd_a=$2 cmd_b=$3
    : >"$tmp/times-a"
    : >"$tmp/times-b"
    ms_a=failed
    ms_b=failed
    for ((i = 0; i < runs; i++)); do
        if ((${#cmd_a[@]})) && t=$(one_run_ms "${cmd_a[@]}"); then
            echo "$t" >>"$tmp/times-a"
        fi
        if ((${#cmd_b[@]})) && t=$(one_run_ms "${cmd_b[@]}"); then
            echo "$t" >>"$tmp/times-b"
        fi
    done
    # A command that failed once is not timed at all.
    [[ $(wc -l <"$tmp/times-a") != "$runs" ]] || ms_a=$(median "$tmp/times-a")
    [[ $(wc -l <"$tmp/times-b") != "$runs" ]] || ms_b=$(median "$tmp/times-b")
}

# median_ms RUNS CMD... — median wall-clock milliseconds of RUNS runs of CMD.
# Fails if any run fails.
median_ms() {
    local runs=$1 i t
    shift
    : >"$tmp/times"
    for ((i = 0; i < runs; i++)); do
        t=$(one_run_ms "$@") || return 1
        echo "$t" >>"$tmp/times"
    done
    median "$tmp/times"
}

# rss_run CMD... — one run under /usr/bin/time -v: sets $rss_mb (peak
# resident set, MiB), keeps stderr in $tmp/stderr, returns CMD's status.
# It also serves as the warm-up run before timing.
rss_mb=
rss_run() {
    local rc=0
    /usr/bin/time -v -o "$tmp/time.txt" "$@" >/dev/null 2>"$tmp/stderr" || rc=$?
    local kb
    kb=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tmp/time.txt")
    rss_mb=$(LC_ALL=C awk -v k="${kb:-0}" 'BEGIN { printf "%.1f", k / 1024 }')
    return $rc
}

# file_mb PATH — size of a file in MiB, or "–" when absent.
file_mb() {
    if [[ -f $1 ]]; then
        LC_ALL=C awk -v b="$(wc -c <"$1")" 'BEGIN { printf "%.2f", b / 1048576 }'
    else
        printf '–'
    fi
}

# event_count FILE — the count `timeline check` reports, which also proves
# the file valid.
event_count() {
    local out
    if ! out=$("$timeline" check "$1" 2>"$tmp/check.err"); then
        say "run.sh: timeline check rejects $1:"
        head -20 "$tmp/check.err" >&2
        return 1
    fi
    sed -n 's/^.*: \([0-9][0-9]*\) events\{0,1\},.*/\1/p' <<<"$out"
}

results=$tmp/results.tsv # name n fmt tl_ms fl_ms tl_rss fl_rss tl_mb fl_mb size
notices=$tmp/notices.tsv # name fmt notice
: >"$results"
: >"$notices"

# chart_size INPUT — the size of timeline's chart for INPUT as WIDTHxHEIGHT
# in points, read off its SVG; 960x600 if that fails.
# The floor draws on a surface of this size, so that both programs
# rasterise, compress and write the same number of pixels.
chart_size() {
    local svg=$tmp/size.svg
    if "$timeline" render "$1" -o "$svg" 2>/dev/null; then
        LC_ALL=C awk 'match($0, /<svg[^>]*>/) {
            t = substr($0, RSTART, RLENGTH)
            match(t, / width="[0-9.]+/);  w = substr(t, RSTART + 8, RLENGTH - 8)
            match(t, / height="[0-9.]+/); h = substr(t, RSTART + 9, RLENGTH - 9)
            printf "%dx%d", int(w + 0.5), int(h + 0.5); exit }' "$svg"
    else
        printf '960x600'
    fi
    rm -f "$svg"
}

# bench_one NAME N INPUT FMT RUNS SIZE
bench_one() {
    local name=$1 n=$2 input=$3 fmt=$4 runs=$5 size=$6
    local out_t=$tmp/out-timeline.$fmt out_f=$tmp/out-floor.$fmt
    local tl_ms=failed fl_ms=failed tl_rss=– fl_rss=– tl_mb=– fl_mb=–
    local -a cmd_t=() cmd_f=()
    rm -f "$out_t" "$out_f"
    # A PNG is the chart in points at 96 px per inch: the floor draws as
    # many pixels.
    [[ $fmt != png ]] || size=$(awk -F x '{ printf "%dx%d", int($1 * 4 / 3 + 0.5), int($2 * 4 / 3 + 0.5) }' <<<"$size")

    # One run of each under /usr/bin/time for the peak RSS; it is also the
    # warm-up.
    if rss_run "$timeline" render "$input" -o "$out_t"; then
        tl_rss=$rss_mb
        tl_mb=$(file_mb "$out_t")
        local w
        w=$(grep -o '[0-9][0-9]* of [0-9][0-9]* events have no label' "$tmp/stderr" | head -1 || true)
        [[ -z $w ]] || printf '%s\t%s\t%s\n' "$name" "$fmt" "$w" >>"$notices"
        [[ -n $w ]] || [[ ! -s $tmp/stderr ]] ||
            printf '%s\t%s\t%s\n' "$name" "$fmt" "$(head -1 "$tmp/stderr")" >>"$notices"
        cmd_t=("$timeline" render "$input" -o "$out_t")
    else
        local msg
        msg=$(grep -m1 'error' "$tmp/stderr" || head -1 "$tmp/stderr")
        printf '%s\t%s\t%s\n' "$name" "$fmt" "render failed: $msg" >>"$notices"
        say "  timeline render failed on $name $fmt: $msg"
    fi
    if rss_run "$floor" "$input" -s "$size" -o "$out_f"; then
        fl_rss=$rss_mb
        fl_mb=$(file_mb "$out_f")
        cmd_f=("$floor" "$input" -s "$size" -o "$out_f")
    else
        say "  bench-floor failed on $name $fmt: $(head -1 "$tmp/stderr")"
    fi

    time_pair "$runs" cmd_t cmd_f
    tl_ms=$ms_a
    fl_ms=$ms_b
    rm -f "$out_t" "$out_f"

    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$n" "$fmt" "$tl_ms" "$fl_ms" \
        "$tl_rss" "$fl_rss" "$tl_mb" "$fl_mb" "$size" >>"$results"
    say "  $(printf '%-8s %-4s timeline %10s ms  floor %10s ms' "$name" "$fmt" "$tl_ms" "$fl_ms")"
}

# ---- inputs -----------------------------------------------------------------

say "run.sh: timeline $("$timeline" --version 2>/dev/null | awk '{ print $2 }'), build '$build'," \
    "timing with $( ((have_hyperfine)) && echo hyperfine || echo 'a shell loop')"

"$gen" 1 >"$tmp/one.yaml"
event_count "$tmp/one.yaml" >/dev/null ||
    die "timeline does not accept bench-gen's output; is the build current?"
dataset_n=$(event_count "$dataset") || die "timeline check rejects the dataset $dataset"

declare -a names ns inputs
names+=("dataset")
ns+=("$dataset_n")
inputs+=("$dataset")
for n in $sizes; do
    "$gen" "$n" >"$tmp/n$n.yaml"
    got=$(event_count "$tmp/n$n.yaml") || die "bench-gen $n wrote a file timeline rejects"
    [[ $got == "$n" ]] || die "timeline check counts $got events in bench-gen $n"
    names+=("$n")
    ns+=("$n")
    inputs+=("$tmp/n$n.yaml")
done

# ---- the table --------------------------------------------------------------

for i in "${!names[@]}"; do
    runs=$runs_small
    ((ns[i] < 10000)) || runs=$runs_mid
    ((ns[i] < 100000)) || runs=$runs_big
    size=$(chart_size "${inputs[i]}")
    say "run.sh: ${names[i]} (${ns[i]} events, $size, median of $runs runs)"
    for fmt in $formats; do
        bench_one "${names[i]}" "${ns[i]}" "${inputs[i]}" "$fmt" "$runs" "$size"
    done
done

# ---- start-up ---------------------------------------------------------------

say "run.sh: start-up, 1 event"
startup=$tmp/startup.tsv
: >"$startup"
startup_one() {
    local label=$1
    shift
    local ms=failed rss=–
    if rss_run "$@"; then
        rss=$rss_mb
        ms=$(median_ms 20 "$@") || ms=failed
    fi
    printf '%s\t%s\t%s\n' "$label" "$ms" "$rss" >>"$startup"
    say "  $(printf '%-44s %8s ms' "$label" "$ms")"
}
startup_one 'timeline --version' "$timeline" --version
startup_one 'timeline check one.yaml' "$timeline" check "$tmp/one.yaml"
startup_one 'timeline render one.yaml -o one.svg' "$timeline" render "$tmp/one.yaml" -o "$tmp/one.svg"
startup_one 'timeline render one.yaml -o one.png' "$timeline" render "$tmp/one.yaml" -o "$tmp/one.png"
startup_one 'bench-floor one.yaml -o one.svg' "$floor" "$tmp/one.yaml" -o "$tmp/one-floor.svg"

# ---- stages -----------------------------------------------------------------

# `timeline render --timings` reports each stage of one run; the median of
# each stage over RUNS runs.  What it leaves out (exec, dynamic linking,
# exit) is the whole-process time above less its total.
say "run.sh: stages (render --timings)"
stages=$tmp/stages.tsv # input fmt runs load fonts layout draw output total
: >"$stages"
stage_one() {
    local label=$1 runs=$2 input=$3 fmt=$4 i k
    : >"$tmp/stage-runs"
    for ((i = 0; i < runs; i++)); do
        "$timeline" render "$input" -o "$tmp/stage.$fmt" --timings 2>"$tmp/stage.err" \
            >/dev/null || return 0
        sed -n 's/^timings: load \([0-9.]*\) ms, fonts \([0-9.]*\) ms, layout \([0-9.]*\) ms, draw \([0-9.]*\) ms, output \([0-9.]*\) ms, total \([0-9.]*\) ms$/\1 \2 \3 \4 \5 \6/p' \
            "$tmp/stage.err" >>"$tmp/stage-runs"
    done
    local row="$label"$'\t'"$fmt"$'\t'"$runs"
    for k in 1 2 3 4 5 6; do
        awk -v k=$k '{ print $k }' "$tmp/stage-runs" >"$tmp/stage-col"
        row+=$'\t'$(median "$tmp/stage-col" || echo –)
    done
    printf '%s\n' "$row" >>"$stages"
    say "  $(printf '%-12s %-4s' "$label" "$fmt") $(cut -f4- <<<"$row" | tr '\t' ' ')"
    rm -f "$tmp/stage.$fmt"
}
stage_one 'one event' "$runs_small" "$tmp/one.yaml" svg
for fmt in $formats; do
    stage_one dataset "$runs_small" "$dataset" "$fmt"
done
last=$((${#names[@]} - 1))
if [[ ${names[last]} != dataset ]]; then
    for fmt in $formats; do
        stage_one "${ns[last]} events" "$runs_big" "${inputs[last]}" "$fmt"
    done
fi

# ---- the other layouts ------------------------------------------------------

# The table above is the default (axis) layout.  The lanes and list layouts
# at the largest N, one timed run each after the run that gives the RSS:
# they have no floor of their own, and the figures show that they scale.
layouts=$tmp/layouts.tsv # layout fmt n ms rss pages
: >"$layouts"
big_n=${ns[${#ns[@]} - 1]}
big_input=${inputs[${#inputs[@]} - 1]}
if [[ ${names[${#names[@]} - 1]} != dataset ]]; then
    say "run.sh: lanes and list layouts, $big_n events"
    for lf in lanes:svg lanes:pdf lanes:png list:pdf; do
        layout=${lf%%:*} fmt=${lf#*:}
        out=$tmp/layout.$fmt ms=failed rss=– pages=1
        if rss_run "$timeline" render --layout "$layout" "$big_input" -o "$out"; then
            rss=$rss_mb
            if [[ $fmt == pdf ]] && command -v pdfinfo >/dev/null; then
                pages=$(pdfinfo "$out" 2>/dev/null | sed -n 's/^Pages: *//p')
            fi
            ms=$(median_ms 1 "$timeline" render --layout "$layout" "$big_input" -o "$out") ||
                ms=failed
        fi
        rm -f "$out"
        printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$layout" "$fmt" "$big_n" "$ms" "$rss" \
            "${pages:-?}" >>"$layouts"
        say "  $(printf '%-6s %-4s %10s ms' "$layout" "$fmt" "$ms")"
    done
fi

# ---- callgrind --------------------------------------------------------------

ir=
cg_top=
cg_api=
# shorten — "1,234 ( 5.00%)  path/file.c:func [/usr/lib/libx.so.1]" becomes
# "1,234 ( 5.00%)  func  (libx.so.1)".
shorten() {
    sed -E 's|^( *[0-9,]+ \( *[0-9.]+%\))  .*:([^: ]+) \[(.*/)?([^]/]+)\]$|\1  \2  (\4)|'
}
# by_library CALLGRIND_OUT — self cost summed by library, one
# "library<TAB>instructions" line each.  The program's own code is "own code".
by_library() {
    callgrind_annotate --inclusive=no --threshold=100 "$1" 2>/dev/null |
        LC_ALL=C awk '
        /file:function/ { on = 1; next }
        on && match($0, /\[[^]]*\]$/) {
            ir = $1; gsub(/,/, "", ir)
            lib = substr($0, RSTART + 1, RLENGTH - 2); sub(/.*\//, "", lib)
            if (lib ~ /^(timeline|bench-floor)$/) g = "own code"
            else if (lib ~ /^libcairo/) g = "cairo"
            else if (lib ~ /^libpango/) g = "pango"
            else if (lib ~ /^libharfbuzz/) g = "harfbuzz"
            else if (lib ~ /^(libfontconfig|libexpat)/) g = "fontconfig (with expat)"
            else if (lib ~ /^libfreetype/) g = "freetype"
            else if (lib ~ /^libpixman/) g = "pixman"
            else if (lib ~ /^(libz|libpng)/) g = "zlib and libpng"
            else if (lib ~ /^(libglib|libgobject)/) g = "glib"
            else if (lib ~ /^libyaml/) g = "libyaml"
            else if (lib ~ /^(libc|libm)[.-]/) g = "libc (number formatting, malloc)"
            else if (lib ~ /^ld-linux/) g = "dynamic loader"
            else g = "other"
            sum[g] += ir
        }
        END { for (g in sum) printf "%s\t%d\n", g, sum[g] }'
}

cg_libs=
if ((have_valgrind)); then
    say "run.sh: callgrind on the dataset (SVG)"
    if valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind.out" \
        "$timeline" render "$dataset" -o "$tmp/cg.svg" >/dev/null 2>"$tmp/callgrind.log"; then
        ir=$(sed -n 's/^==[0-9]*== Collected : *//p' "$tmp/callgrind.log" | tail -1 |
            sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta')
        if command -v callgrind_annotate >/dev/null; then
            # Self cost, the 12 heaviest functions.
            callgrind_annotate --inclusive=no "$tmp/callgrind.out" 2>/dev/null |
                awk '/file:function/ { on = 1; getline; next } on && !NF { exit } on { print }' |
                head -12 | shorten >"$tmp/cg_top" || true
            cg_top=$(cat "$tmp/cg_top")
            # Inclusive cost of the pipeline's entry points.
            callgrind_annotate --inclusive=yes "$tmp/callgrind.out" 2>/dev/null |
                grep -E ':(main|tl_[a-z_]+) ' | grep -v -E 'tl_(diag|buf|arena)_' |
                head -14 | shorten >"$tmp/cg_api" || true
            cg_api=$(cat "$tmp/cg_api")
            # Both programs by library, on the same input and surface.
            if valgrind --tool=callgrind --callgrind-out-file="$tmp/callgrind-floor.out" \
                "$floor" "$dataset" -s "$(chart_size "$dataset")" -o "$tmp/cg-floor.svg" \
                >/dev/null 2>&1; then
                by_library "$tmp/callgrind.out" | sort >"$tmp/libs-t"
                by_library "$tmp/callgrind-floor.out" | sort >"$tmp/libs-f"
                cg_libs=$(join -t $'\t' -a 1 -a 2 -e 0 -o 0,1.2,2.2 "$tmp/libs-t" "$tmp/libs-f" |
                    sort -t $'\t' -k2,2nr |
                    LC_ALL=C awk -F'\t' '{ t += $2; f += $3; r[NR] = $0 }
                        END { for (i = 1; i <= NR; i++) { split(r[i], v, "\t")
                                  printf "| %s | %.1f | %.1f | %+.1f |\n", v[1], v[2] / 1e6,
                                         v[3] / 1e6, (v[2] - v[3]) / 1e6 }
                              printf "| **total** | **%.1f** | **%.1f** | **%+.1f** |\n",
                                     t / 1e6, f / 1e6, (t - f) / 1e6 }')
            fi
        fi
        if [[ -n $ir ]]; then
            say "  $ir instructions"
        else
            say "run.sh: no instruction count in valgrind's output"
        fi
    else
        say "run.sh: valgrind failed; see below"
        tail -5 "$tmp/callgrind.log" >&2
    fi
fi

# ---- massif -----------------------------------------------------------------

# What holds the heap for the largest input in PNG (the format whose floor
# holds least), at its peak, laid out and while drawing: bench/massif.awk.
# A detailed snapshot at every one of up to 1,000 samples, so that the
# short layout stage has some.
ms_rows=
ms_peak=
ms_laid=
ms_draw=
check_rss=
if ((have_valgrind)) && [[ " $formats " == *" png "* ]] &&
    [[ ${names[${#names[@]} - 1]} != dataset ]]; then
    # Loading and checking alone, no fonts or chart: the least any
    # render of this input holds.
    rss_run "$timeline" check "$big_input" && check_rss=$rss_mb
    say "run.sh: massif on $big_n events (PNG)"
    if valgrind --tool=massif --threshold=1 --detailed-freq=1 --max-snapshots=1000 \
        --massif-out-file="$tmp/massif.out" "$timeline" render "$big_input" \
        -o "$tmp/massif.png" >/dev/null 2>"$tmp/massif.log"; then
        LC_ALL=C awk -v q="'" -f "$here/massif.awk" "$tmp/massif.out" >"$tmp/massif.txt"
        IFS=$'\t' read -r ms_peak ms_laid ms_draw <"$tmp/massif.txt" || true
        ms_rows=$(tail -n +2 "$tmp/massif.txt")
    else
        say "run.sh: massif failed; see below"
        tail -5 "$tmp/massif.log" >&2
    fi
fi

# ---- plot -------------------------------------------------------------------

plot_written=0
plot=$tmp/performance.png
if ((have_gnuplot)); then
    # One row per generated size: N, then µs/event for timeline and floor
    # in each format ("?" when missing).
    LC_ALL=C awk -F'\t' -v formats="$formats" '
        $1 != "dataset" {
            if (!($2 in seen)) { seen[$2] = 1; order[++k] = $2 }
            t[$2, $3] = $4 == "failed" ? "?" : $4 * 1000 / $2
            f[$2, $3] = $5 == "failed" ? "?" : $5 * 1000 / $2
        }
        END {
            nf = split(formats, fm, " ")
            for (i = 1; i <= k; i++) {
                line = order[i]
                for (j = 1; j <= nf; j++) line = line " " ((order[i], fm[j]) in t ? t[order[i], fm[j]] : "?")
                for (j = 1; j <= nf; j++) line = line " " ((order[i], fm[j]) in f ? f[order[i], fm[j]] : "?")
                print line
            }
        }' "$results" >"$tmp/plot.dat"
    nfmt=$(wc -w <<<"$formats")
    {
        echo 'set terminal pngcairo size 900,540 font "DejaVu Sans,10"'
        echo "set output '$plot'"
        echo 'set datafile missing "?"'
        echo 'set logscale xy'
        echo 'set grid xtics ytics mxtics mytics lc rgb "#dddddd"'
        echo 'set xlabel "events in the file (N)"'
        echo 'set ylabel "wall time per event (µs), median"'
        echo 'set title "timeline render vs. the floor (bench-floor), time per event"'
        echo 'set key outside right top'
        echo 'set style line 1 lc rgb "#0072B2" lw 2 pt 7'
        echo 'set style line 2 lc rgb "#D55E00" lw 2 pt 5'
        echo 'set style line 3 lc rgb "#009E73" lw 2 pt 9'
        printf 'plot '
        j=0
        for fmt in $formats; do
            j=$((j + 1))
            ls=$(((j - 1) % 3 + 1))
            printf "'%s' using 1:%d with linespoints ls %d title 'timeline %s', " \
                "$tmp/plot.dat" $((j + 1)) "$ls" "$fmt"
            printf "'%s' using 1:%d with linespoints ls %d dt 2 pt 6 title 'floor %s'" \
                "$tmp/plot.dat" $((j + 1 + nfmt)) "$ls" "$fmt"
            ((j == nfmt)) || printf ', '
        done
        echo
    } >"$tmp/plot.gp"
    if gnuplot "$tmp/plot.gp" 2>"$tmp/gnuplot.err" && [[ -s $plot ]]; then
        plot_written=1
    else
        say "run.sh: gnuplot failed; no plot:"
        head -5 "$tmp/gnuplot.err" >&2
    fi
fi

# ---- report -----------------------------------------------------------------

elapsed=$(($(date +%s) - started))
cpu=$(sed -n 's/^model name[[:space:]]*: *//p' /proc/cpuinfo 2>/dev/null | head -1)
mem=$(awk '/^MemTotal:/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo 2>/dev/null || true)
libs=
if command -v pkg-config >/dev/null; then
    libs="cairo $(pkg-config --modversion cairo 2>/dev/null || echo ?), pango $(pkg-config --modversion pango 2>/dev/null || echo ?), libyaml $(pkg-config --modversion yaml-0.1 2>/dev/null || echo ?)"
fi
cc=$(sed -n 's/^CMAKE_C_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt" 2>/dev/null || true)
ccver=
[[ -z $cc ]] || ccver=$("$cc" --version 2>/dev/null | head -1 || true)

report=$tmp/performance.md
{
    cat <<EOF
# Performance

This file is written by \`bench/run.sh\`; run it again rather than editing
it.  What is measured and how to read it: [bench/README.md](../bench/README.md).

## Machine

| | |
|---|---|
| date | $(date -u '+%Y-%m-%d %H:%M UTC') |
| CPU | ${cpu:-unknown} |
| cores (\`nproc\`) | $(nproc 2>/dev/null || echo ?) |
| memory | ${mem:-unknown} |
| system | $(uname -sr) |
| libraries | ${libs:-unknown} |
| compiler | ${ccver:-unknown} |
| build | ${build_type:-unknown}$([[ ${sanitize:-OFF} == ON ]] && echo ', sanitizers ON') |
| timer | $( ((have_hyperfine)) && echo "hyperfine $(hyperfine --version | awk '{ print $2 }'), median" || echo 'bash loop (date +%s%N), median') |
| runs | $runs_small of each program per cell, $runs_mid at N = 10000, $runs_big at N ≥ 100000, the two programs alternating run by run, after one run of each under \`/usr/bin/time -v\` that gives the peak RSS |
| suite run time | $((elapsed / 60)) min $((elapsed % 60)) s |

## Render time: timeline against the floor

Each cell is the median wall time of one process, start-up included.
*Ratio* is timeline ÷ floor from the same run; *µs/event* is timeline's
time divided by N.  Inputs are \`bench-gen N\` (deterministic) and the
project's dataset, \`$dataset_rel\`.  The floor draws on a surface the
size of timeline's chart for the same input (*chart*, in units: points in
SVG and PDF, pixels in PNG), so both write the same number of pixels.
Output sizes show how much each program wrote: the floor draws a label for
every event, while timeline draws labels only where they fit (see
*Unlabelled events* below).

| N | format | chart | timeline ms | floor ms | ratio | timeline peak RSS MB | floor peak RSS MB | µs/event (timeline) | µs/event (floor) | output MB (timeline / floor) |
|--:|:--|:--|--:|--:|--:|--:|--:|--:|--:|--:|
EOF
    LC_ALL=C awk -F'\t' '{
        n = $1 == "dataset" ? "dataset (" $2 ")" : $2
        ratio = ($4 == "failed" || $5 == "failed" || $5 == 0) ? "–" : sprintf("%.2f", $4 / $5)
        tus = $4 == "failed" ? "–" : sprintf("%.1f", $4 * 1000 / $2)
        fus = $5 == "failed" ? "–" : sprintf("%.1f", $5 * 1000 / $2)
        tms = $4 == "failed" ? "failed" : sprintf("%.1f", $4)
        fms = $5 == "failed" ? "failed" : sprintf("%.1f", $5)
        printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s / %s |\n",
               n, $3, $10, tms, fms, ratio, $6, $7, tus, fus, $8, $9
    }' "$results"

    echo
    if ((plot_written)); then
        cat <<'EOF'
![Wall time per event against N, both axes logarithmic: timeline render
(solid) and the floor (dashed) in each format](performance.png)

At small N the time per event is mostly start-up divided by N; the curves
flatten where the per-event cost takes over.

EOF
    else
        echo "*(No plot: gnuplot was not available — install the Debian package \`gnuplot-nox\`.)*"
        echo
    fi

    # The cost of each event added between consecutive sizes: start-up
    # drops out, so this is the figure that must stay flat as N grows.
    marginal=$(LC_ALL=C awk -F'\t' '$1 != "dataset" && $4 != "failed" && $5 != "failed" {
            k = $3; if (k in n) {
                printf "| %s → %s | %s | %.1f | %.1f |\n", n[k], $2, k,
                       ($4 - t[k]) * 1000 / ($2 - n[k]), ($5 - f[k]) * 1000 / ($2 - n[k])
            }
            n[k] = $2; t[k] = $4; f[k] = $5
        }' "$results")
    if [[ -n $marginal ]]; then
        cat <<'EOF'
### Cost of each added event

The time the larger input adds, divided by the events it adds, in µs per
event: start-up drops out, and what is left grows with N only if some
step of the layout grows faster than N.

| N | format | timeline | floor |
|:--|:--|--:|--:|
EOF
        printf '%s\n' "$marginal"
        echo
    fi

    cat <<'EOF'
## Start-up

Median of 20 runs on a file with one event.  `check` loads and validates
but never touches fonts; `render` also initialises fontconfig and Pango,
lays the chart out and writes it.  The difference is the fixed price of
drawing anything; the next table splits it into its stages.

| command | ms | peak RSS MB |
|:--|--:|--:|
EOF
    awk -F"\t" '{ printf "| `%s` | %s | %s |\n", $1, $2, $3 }' "$startup"
    echo

    if [[ -s $stages ]]; then
        cat <<'EOF'
## Where a render's time goes

What `timeline render --timings` reports, stage by stage, in milliseconds
(the median of each stage over the runs counted).  *load* reads, parses
and checks the input; *fonts* is fontconfig's configuration and cache and
Pango's font map, before any text; *layout* measures the text (loading
the font files it uses) and places everything; *draw* makes the Cairo
calls; *output* is what Cairo does at the end (writing SVG or PDF,
encoding PNG) and writing the file.  *total* runs from the start of
`main`: the process's own start (exec, dynamic linking) and exit are the
rest of the whole-process times above.

| input | format | runs | load | fonts | layout | draw | output | total |
|:--|:--|--:|--:|--:|--:|--:|--:|--:|
EOF
        awk -F"\t" '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
                      $1, $2, $3, $4, $5, $6, $7, $8, $9 }' "$stages"
        echo
    fi

    if [[ -s $layouts ]]; then
        cat <<'EOF'
## The lanes and list layouts

The table above is the default axis layout.  The same largest input in
the other two layouts: one timed run each, after the run that gives the
peak RSS.  The list layout sets every event with its title, summary and
lane, page after page (the page count is `pdfinfo`'s).

| layout | format | N | ms | peak RSS MB | pages |
|:--|:--|--:|--:|--:|--:|
EOF
        LC_ALL=C awk -F'\t' '{ printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3,
                                ($4 == "failed" ? "failed" : sprintf("%.0f", $4)), $5, $6 }' \
            "$layouts"
        echo
    fi

    echo "## Unlabelled events"
    echo
    if [[ -s $notices ]]; then
        cat <<'EOF'
When labels do not fit, timeline draws the events as markers and says so
on standard error.  What it said in this run:

| N | format | message |
|--:|:--|:--|
EOF
        awk -F'\t' '{ printf "| %s | %s | %s |\n", $1, $2, $3 }' "$notices"
    else
        echo "timeline printed nothing on standard error in this run: every event got a label."
    fi
    echo

    echo "## Memory at $big_n events (massif)"
    echo
    if [[ -n $ms_rows ]]; then
        cat <<EOF
\`valgrind --tool=massif timeline render\` on the $big_n-event input, PNG.
The heap's peak was **$ms_peak MB**; the largest snapshot taken once the
chart was laid out (before its image exists) held ${ms_laid:-?} MB, and the
largest taken while drawing ${ms_draw:-?} MB.  Peak RSS, in the table
above, is the most the process held at any moment, code, fontconfig's
caches and stack included; it need not fall at the heap's peak.  What
held the heap (MB):

| held by | at the peak | laid out | while drawing |
|:--|--:|--:|--:|
$ms_rows

The floor draws each event as it reads it and holds none; timeline holds
every event, because it sorts them and labels the most important first.
It keeps of each only what the chart draws: the whole file is checked,
and what only the checks read (ids, positions, tags, citations as
written) is dropped once they pass.  It frees the document once a PNG or
PDF chart is laid out, so the chart and the image are all that drawing
holds.
EOF
        if [[ -n $check_rss ]]; then
            cat <<EOF
Loading and checking the same input alone (\`timeline check\`: no fonts,
no chart) peaks at **$check_rss MB** of RSS.
EOF
        fi
        if [[ $ms_rows == *"the input file"* ]]; then
            cat <<'EOF'
The input was read whole (as standard input is) rather than streamed; it
is freed when loading ends, before the chart is laid out and drawn.
EOF
        fi
    else
        echo "Not measured in this run (valgrind missing or failed, no PNG, or BENCH_NO_CALLGRIND=1)."
    fi
    echo

    echo "## Instructions (callgrind)"
    echo
    if [[ -n $ir ]]; then
        cat <<EOF
\`valgrind --tool=callgrind timeline render $dataset_rel -o out.svg\`
executed **$ir** instructions (Ir), start-up included.  Unlike wall time,
this count hardly changes from run to run, so it is the figure to compare
between commits.
EOF
        if [[ -n $cg_libs ]]; then
            cat <<EOF

Where they go, by library (self cost, millions of instructions), next to the
floor drawing the same file on a surface of the same size.  *Own code* is
timeline's own functions — loading, validation, scale, layout, render
logic; everything else is work done inside the libraries, most of it
shaping and writing text.  The difference is the chart's extra text — title,
subtitle, legend, axis labels, dates, citations, source line — in four type
styles where the floor has one, with labels wrapped to two lines where the
floor's stay on one.

| library | timeline | floor | difference |
|:--|--:|--:|--:|
$cg_libs
EOF
        fi
        if [[ -n $cg_api ]]; then
            cat <<EOF

Inclusive cost of the pipeline's stages:

\`\`\`
$cg_api
\`\`\`
EOF
        fi
        if [[ -n $cg_top ]]; then
            cat <<EOF

The heaviest functions by their own cost:

\`\`\`
$cg_top
\`\`\`
EOF
        fi
    else
        echo "Not measured in this run (valgrind missing, failed, or BENCH_NO_CALLGRIND=1)."
    fi
} >"$report"

mv "$report" "$docs/performance.md"
if ((plot_written)); then
    mv "$plot" "$docs/performance.png"
fi
say "run.sh: wrote $docs/performance.md$( ((plot_written)) && echo " and $docs/performance.png") in $((elapsed / 60)) min $((elapsed % 60)) s"
