#!/usr/bin/env bash
# Memcheck over a render of the dataset in every format and over a check:
# no invalid access, no use of uninitialised memory, no leak of ours.
# Fontconfig's process-lifetime caches are suppressed (tests/valgrind.supp).
set -u
T=${TIMELINE:?}; cd "${SRCDIR:?}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
vg() {
  local name=$1; shift
  valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite \
    --show-leak-kinds=definite --suppressions=tests/valgrind.supp "$T" "$@" \
    >"$tmp/out" 2>"$tmp/err"
  local rc=$?
  # 99: memcheck found something; 128+: killed by a signal.
  if [ "$rc" -ne 99 ] && [ "$rc" -lt 128 ]; then
    pass=$((pass+1))
  else
    fail=$((fail+1)); echo "FAIL: valgrind $name" >&2; head -40 "$tmp/err" >&2
  fi
}
vg "check" check data/events.yaml
for f in svg pdf png; do vg "render $f" render data/events.yaml -o "$tmp/a.$f"; done
vg "render lanes" render data/events.yaml --layout lanes -o "$tmp/b.svg"
vg "render list paged" render data/events.yaml --layout list --page a4 -o "$tmp/c.pdf"
# A refused input takes the error paths.
vg "bad input" check tests/data/bad/date_feb30.yaml
echo "valgrind: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
