#!/usr/bin/env bash
# dataset.sh — the project's dataset, data/events.yaml, and the quote checker
# (timeline check --sources).
#
# Environment: TIMELINE is the binary; SRCDIR the source root (the working
# directory).  The source documents live in $SRCDIR/../shared/seeds; the
# checks that need them are skipped when that directory is absent.
set -u

: "${TIMELINE:?set TIMELINE to the timeline binary}"
SRCDIR=${SRCDIR:-.}
cd "$SRCDIR" || exit 2

DATA=data/events.yaml
SEEDS=$SRCDIR/../shared/seeds
FIX=tests/data/verify

# What the dataset holds; update these with it.
N_EVENTS=24
N_LANES=5
N_SOURCES=2

pass=0
fail=0
tmp=$(mktemp -d) || exit 2
trap 'rm -rf "$tmp"' EXIT

ok() { pass=$((pass + 1)); }
bad() {
    fail=$((fail + 1))
    echo "FAIL: $*" >&2
}
show_output() {
    sed 's/^/  out| /' "$tmp/out" >&2
    sed 's/^/  err| /' "$tmp/err" >&2
}

# run CMD... — runs it, keeping stdout, stderr and the exit status in $rc.
run() {
    "$@" >"$tmp/out" 2>"$tmp/err"
    rc=$?
}
expect_rc() {  # NAME WANT
    if [ "$rc" -eq "$2" ]; then ok; else
        bad "$1: exit status $rc, expected $2"
        show_output
    fi
}
expect_in() {  # NAME out|err TEXT — TEXT must occur in that stream
    if grep -qF -- "$3" "$tmp/$2"; then ok; else
        bad "$1: std$2 lacks: $3"
        show_output
    fi
}
expect_not_in() {  # NAME out|err TEXT
    if grep -qF -- "$3" "$tmp/$2"; then
        bad "$1: std$2 should not contain: $3"
        show_output
    else ok; fi
}
expect_count() {  # NAME out|err TEXT N — TEXT occurs on exactly N lines
    local n
    n=$(grep -cF -- "$3" "$tmp/$2")
    if [ "$n" -eq "$4" ]; then ok; else
        bad "$1: std$2 has $n lines with '$3', expected $4"
        show_output
    fi
}

# line_col FILE FIXED-TEXT KEY — "LINE:COL" of the value of KEY on the one
# line of FILE containing FIXED-TEXT (the value starts after "KEY: ").
line_col() {
    local line
    line=$(grep -nF -- "$2" "$1" | cut -d: -f1)
    if [ -z "$line" ] || [ "$(printf '%s\n' "$line" | wc -l)" -ne 1 ]; then
        echo "0:0"
        return
    fi
    awk -v n="$line" -v key="$3: " \
        'NR == n { print n ":" (index($0, key) + length(key)) }' "$1"
}

# ---- The dataset, with no source documents needed ----------------------

run "$TIMELINE" check "$DATA"
expect_rc "check dataset" 0
expect_in "check dataset" out \
    "$DATA: $N_EVENTS events, $N_LANES lanes, $N_SOURCES sources, 2001 – 2015-03-17"
expect_not_in "check dataset" err "error:"

# Every event cites at least one source, and every citation has a quote.
problems=$(awk '
    function finish() {
        if (ev != "" && (nquote == 0 || nquote != nref))
            printf "%s: %d citations, %d quotes\n", ev, nref, nquote
    }
    /^[a-z]/ { finish(); ev = ""; section = $1 }
    section == "events:" && /^  - id:/ { finish(); ev = $3; nref = nquote = 0 }
    section == "events:" && /^ +sources: *\[/ { nref += 99 }
    section == "events:" && /^ +- ref:/ { nref++ }
    section == "events:" && /^ +quote:/ { nquote++ }
    END { finish() }' "$DATA")
if [ -z "$problems" ]; then ok; else
    bad "events without a quoted source: $problems"
fi

# Ids are unique within sources, lanes and events.
dups=$(awk '
    /^[a-z]/ { section = $1 }
    /^  - id:/ { if (seen[section, $3]++) print section, $3 }' "$DATA")
if [ -z "$dups" ]; then ok; else bad "duplicate ids: $dups"; fi

n=$(awk '/^[a-z]/ { s = $1 } s == "events:" && /^  - id:/ { n++ } END { print n + 0 }' "$DATA")
if [ "$n" -eq "$N_EVENTS" ]; then ok; else bad "$DATA has $n events, expected $N_EVENTS"; fi

# Every source names its local copy, so every quote can be checked.
nfile=$(awk '/^[a-z]/ { s = $1 } s == "sources:" && /^    file: / { n++ } END { print n + 0 }' "$DATA")
if [ "$nfile" -eq "$N_SOURCES" ]; then ok; else
    bad "$nfile of $N_SOURCES sources name a file"
fi

# ---- Quote checker fixtures --------------------------------------------

# White space and curly/straight quotation marks do not matter.
run "$TIMELINE" check --sources "$FIX" "$FIX/good.yaml"
expect_rc "fixture good" 0
expect_in "fixture good" out "all quotes found"
expect_count "fixture good" err "source 'nofile' has no file — its quotes are not checked" 1
expect_not_in "fixture good" err "error:"

# A missing file is an I/O error (exit 2) at the file name, reported once.
pos=$(line_col "$FIX/missing.yaml" "no-such-file.txt" file)
run "$TIMELINE" check --sources "$FIX" "$FIX/missing.yaml"
expect_rc "fixture missing" 2
expect_in "fixture missing" err \
    "$FIX/missing.yaml:$pos: error: cannot read source file '$FIX/no-such-file.txt': No such file or directory"
expect_count "fixture missing" err "cannot read source file" 1

# The --sources directory may be given with a trailing slash.
run "$TIMELINE" check --sources "$FIX/" "$FIX/good.yaml"
expect_rc "fixture good, DIR/" 0

# A file name with a '/' is rejected before anything is opened.
pos=$(line_col "$FIX/slash.yaml" "../verify/source.txt" file)
run "$TIMELINE" check --sources "$FIX" "$FIX/slash.yaml"
expect_rc "fixture slash" 1
expect_in "fixture slash" err \
    "$FIX/slash.yaml:$pos: error: source file name must be a plain file name"

# Case and words matter; each quote not found is an error at the quote.
run "$TIMELINE" check --sources "$FIX" "$FIX/notfound.yaml"
expect_rc "fixture notfound" 1
pos=$(line_col "$FIX/notfound.yaml" 'The "Quick" brown fox' quote)
expect_in "fixture notfound" err \
    "$FIX/notfound.yaml:$pos: error: quote not found in 'source.txt' (source 'fixture') — check the wording: \"The \"Quick\" brown fox\""
pos=$(line_col "$FIX/notfound.yaml" 'brown dog' quote)
expect_in "fixture notfound" err "$FIX/notfound.yaml:$pos: error: quote not found"
expect_count "fixture notfound" err "error: quote not found" 2
expect_not_in "fixture notfound" out "all quotes found"

# ---- The dataset against its source documents --------------------------

if [ -d "$SEEDS" ]; then
    run "$TIMELINE" check --sources "$SEEDS" "$DATA"
    expect_rc "dataset quotes" 0
    expect_in "dataset quotes" out "all quotes found"
    expect_not_in "dataset quotes" err "error:"
    expect_not_in "dataset quotes" err "warning:"

    # One quote altered: exit 1, and the error points at that quote.
    original='quote: In May, five Chinese People’s Liberation Army'
    altered='quote: In May, six Chinese People’s Liberation Army'
    sed "s/$original/$altered/" "$DATA" >"$tmp/events.yaml"
    pos=$(line_col "$tmp/events.yaml" "$altered" quote)
    if [ "$pos" != "0:0" ] && ! cmp -s "$DATA" "$tmp/events.yaml"; then ok; else
        bad "could not alter the quote in a copy of $DATA"
    fi
    run "$TIMELINE" check --sources "$SEEDS" "$tmp/events.yaml"
    expect_rc "altered quote" 1
    expect_in "altered quote" err \
        "$tmp/events.yaml:$pos: error: quote not found in '000_356cc96783c2899e.txt' (source 'lewis') — check the wording: \"In May, six Chinese People’s Liberation Army (PLA) officers…\""
    expect_count "altered quote" err "error:" 1
else
    echo "note: $SEEDS not found; the quotes of $DATA were not checked"
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
