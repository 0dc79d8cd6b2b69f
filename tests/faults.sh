#!/usr/bin/env bash
# Faults: bad option values, unreadable or odd inputs, missing fonts, huge
# sizes.  Every case must give a clear message and the right exit code, and
# never a crash (status >= 128) or a hang (timeout).
set -u
T=${TIMELINE:?}; cd "${SRCDIR:?}"
tmp=$(mktemp -d); trap 'chmod -R u+rwx "$tmp"; rm -rf "$tmp"' EXIT
pass=0; fail=0
data=data/events.yaml

# run EXPECTED_STATUS STDERR_PATTERN ARGS...: runs timeline with a timeout.
run() {
  local want=$1 pat=$2; shift 2
  timeout 20 "$T" "$@" >"$tmp/out" 2>"$tmp/err" </dev/null
  local rc=$?
  if [ "$rc" -eq "$want" ] && { [ -z "$pat" ] || grep -Eq -- "$pat" "$tmp/err"; }; then
    pass=$((pass+1))
  else
    fail=$((fail+1))
    echo "FAIL: timeline $* -> $rc (want $want, stderr /$pat/):" >&2
    sed 's/^/    /' "$tmp/err" | head -5 >&2
  fi
}

# Option values: exit 2, naming the option and what it accepts.
run 2 "--width: invalid value 'abc' — expected a decimal length" render "$data" -o "$tmp/a.svg" --width abc
run 2 "--width: invalid value '-5'" render "$data" -o "$tmp/a.svg" --width -5
run 2 "--width: 0 is too small — the minimum is 2in" render "$data" -o "$tmp/a.svg" --width 0
run 2 "--width: 10000000 is too large — the maximum is 200in" render "$data" -o "$tmp/a.svg" --width 10000000
run 2 "--width: invalid value '85furlongs'" render "$data" -o "$tmp/a.svg" --width 85furlongs
run 2 "--height: invalid value 'tall'" render "$data" -o "$tmp/a.svg" --height tall
run 2 "--scale: 0 is too small — the minimum is 0.1" render "$data" -o "$tmp/a.png" --scale 0
run 2 "--scale: invalid value 'nan'" render "$data" -o "$tmp/a.png" --scale nan
run 2 "--theme: invalid value 'neon' — expected light, dark or print" render "$data" -o "$tmp/a.svg" --theme neon
run 2 "--layout: invalid value 'spiral' — expected axis, lanes or list" render "$data" -o "$tmp/a.svg" --layout spiral
run 2 "--page: invalid value 'a5'" render "$data" -o "$tmp/a.svg" --page a5
run 2 "--format: invalid value 'gif'" render "$data" -o - --format gif
run 2 "--from: .*yesterday" render "$data" -o "$tmp/a.svg" --from yesterday
run 2 "--to: .*2015-02-30" render "$data" -o "$tmp/a.svg" --to 2015-02-30
run 2 "--min-importance takes 1, 2 or 3" render "$data" -o "$tmp/a.svg" --min-importance 7
run 2 "--lane: no lane 'mars'" render "$data" -o "$tmp/a.svg" --lane mars
run 2 "unrecognized option '--frobnicate'" render "$data" -o "$tmp/a.svg" --frobnicate
run 2 "needs a value" render "$data" -o
run 2 "unknown command 'draw'" draw "$data"
run 2 "render takes one input file" render "$data" "$data" -o "$tmp/a.svg"
run 2 "a PNG of 53333 px is wider than the 32767 px limit" render "$data" -o "$tmp/a.png" --width 10000 --scale 4

# Inputs.
run 2 "No such file or directory" check "$tmp/none.yaml"
mkdir "$tmp/dir.yaml"
run 2 "[Ii]s a directory" check "$tmp/dir.yaml"
if [ "$(id -u)" -ne 0 ]; then
  cp "$data" "$tmp/secret.yaml"; chmod 000 "$tmp/secret.yaml"
  run 2 "Permission denied" check "$tmp/secret.yaml"
fi
mkfifo "$tmp/fifo.yaml"
# Opened under the time limit, or a missing reader would hang the test.
timeout 20 sh -c 'cat "$1" >"$2"' sh "$data" "$tmp/fifo.yaml" &
run 0 "" check "$tmp/fifo.yaml"
wait
# Standard input closed: an empty document, an error at 1:1.
timeout 20 "$T" check - <&- >"$tmp/out" 2>"$tmp/err"; rc=$?
if [ "$rc" -eq 1 ] || [ "$rc" -eq 2 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: closed stdin -> $rc" >&2; fi
# A file that grows while it is read is read once, as it was.
( for i in $(seq 1 200); do printf '# padding line %d\n' "$i"; done; cat "$data" ) >"$tmp/grow.yaml"
( sleep 0.05; printf '  - garbage appended while reading\n' >>"$tmp/grow.yaml" ) &
timeout 20 "$T" check "$tmp/grow.yaml" >/dev/null 2>&1; rc=$?
wait
if [ "$rc" -lt 128 ]; then pass=$((pass+1)); else fail=$((fail+1)); echo "FAIL: growing file crashed ($rc)" >&2; fi

# Fonts: an unknown family falls back with a warning; no fonts at all is an
# error, not a blank chart.
run 0 "warning: font 'No Such Font Family' not found — using 'DejaVu Sans'" render "$data" -o "$tmp/f.svg" --font "No Such Font Family"
cat >"$tmp/fonts.conf" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>/nonexistent-font-dir</dir><cachedir>CACHE</cachedir></fontconfig>
XML
sed -i "s|CACHE|$tmp/fc-cache|" "$tmp/fonts.conf"
cp "$data" "$tmp/keep.yaml"
FONTCONFIG_FILE="$tmp/fonts.conf" run 2 "no fonts found" render "$data" -o "$tmp/nofont.svg"
if [ -e "$tmp/nofont.svg" ]; then fail=$((fail+1)); echo "FAIL: a file was written without fonts" >&2; else pass=$((pass+1)); fi

echo "faults: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
