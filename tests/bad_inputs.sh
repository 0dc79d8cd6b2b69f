#!/usr/bin/env bash
# Runs `timeline check` on every file in tests/data/bad and expects each to
# be refused cleanly: exit status 1 (invalid data), no crash or hang, and an
# error at the position the file announces.
#
# A file's first line is a comment "# expect: LINE:COL", optionally followed
# by the start of the message expected there; where a comment is impossible
# (an empty or binary file) a sidecar FILE.expect holds the same.  Whatever
# the input, the messages must be valid UTF-8 with no control character
# other than a newline or a tab: user text in them is quoted.
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
        line=$(head -n 1 "$f.expect")
    else
        line=$(head -n 1 "$f" | sed -n 's/^# expect: *//p')
    fi
    expect=$(printf '%s' "$line" | sed -n 's/^\([0-9][0-9]*:[0-9][0-9]*\).*/\1/p')
    message=$(printf '%s' "$line" | sed -n 's/^[0-9][0-9]*:[0-9][0-9]* *//p')
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
    elif ! grep -qF -- "$f:$expect: error: $message" "$err"; then
        failed "$f" "no error at $expect${message:+ saying '$message'}"
    elif ! iconv -f UTF-8 -t UTF-8 "$err" >/dev/null 2>&1; then
        failed "$f" "the messages are not valid UTF-8"
    elif LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$err"; then
        failed "$f" "a control character in the messages"
    else
        pass=$((pass + 1))
    fi
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
