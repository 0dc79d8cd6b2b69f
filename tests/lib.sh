# lib.sh — what the shell tests share: the command under test, a scratch
# directory removed on exit, pass/fail counters and the closing line.
# Sourced by a test script from the repository's top (SRCDIR).
T=${TIMELINE:?}; cd "${SRCDIR:?}" || exit 2
tmp=$(mktemp -d) || exit 2
trap 'chmod -R u+rwx "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
pass=0; fail=0
ok()  { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*" >&2; }
# expect NAME CONDITION: CONDITION is evaluated as shell code.
expect() { if eval "$2"; then ok; else bad "$1"; fi; }
# The summary ctest reads, and the exit status.
finish() { echo "$1: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; }
