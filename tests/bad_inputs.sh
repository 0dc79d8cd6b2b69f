#!/usr/bin/env bash
# Runs `timeline check` on every file in tests/data/bad and expects each to
# be refused cleanly: exit status 1 (invalid data), no crash or hang, and an
# error at the position the file announces.
#
# A file's first line is a comment "# expect: LINE:COL"; where a comment is
# impossible (an empty or binary file) a sidecar FILE.expect holds LINE:COL.
#
# Environment: TIMELINE is the binary, SRCDIR the source root (ctest sets
# both).
set -u

: "${TIMELINE:?set TIMELINE to the timeline binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$SRCDIR" || exit 2

pass=0
fail=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT

failed() {
    echo "FAIL: $1: $2"
    sed 's/^/    /' "$err" | head -n 8
    fail=$((fail + 1))
}

for f in tests/data/bad/*; do
    case $f in *.expect) continue ;; esac
    if [ -f "$f.expect" ]; then
        expect=$(head -n 1 "$f.expect")
    else
        expect=$(head -n 1 "$f" | sed -n 's/^# expect: *\([0-9][0-9]*:[0-9][0-9]*\).*/\1/p')
    fi
    if [ -z "$expect" ]; then
        : >"$err"
        failed "$f" "no '# expect: LINE:COL' line and no $f.expect"
        continue
    fi
    timeout 10 "$TIMELINE" check "$f" >/dev/null 2>"$err"
    status=$?
    if [ "$status" -eq 124 ]; then
        failed "$f" "timed out after 10 s"
    elif [ "$status" -ge 128 ]; then
        failed "$f" "crashed (status $status)"
    elif [ "$status" -ne 1 ]; then
        failed "$f" "exit status $status, expected 1"
    elif ! grep -qF -- "$f:$expect: error:" "$err"; then
        failed "$f" "no error at $expect"
    else
        pass=$((pass + 1))
    fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
