#!/usr/bin/env bash
# `timeline check` from the outside: the summary line, standard input,
# exit codes (0 valid, 1 invalid data, 2 usage or I/O), --help and
# --version, and errors on stderr with the offending line and a caret.
#
# Environment: TIMELINE is the binary, SRCDIR the source root (ctest sets
# both).
set -u
export LC_ALL=C # messages from strerror in English

: "${TIMELINE:?set TIMELINE to the timeline binary}"
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$SRCDIR" || exit 2

pass=0
fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# run ARGS... : runs timeline with a 10 s limit; sets $status, $out, $err.
run() {
    timeout 10 "$TIMELINE" "$@" >"$tmp/out" 2>"$tmp/err"
    status=$?
    out=$(cat "$tmp/out")
    err=$(cat "$tmp/err")
}

ok() { pass=$((pass + 1)); }
bad() {
    echo "FAIL: $1"
    echo "    status: $status"
    echo "    stdout: $(head -c 600 "$tmp/out")"
    echo "    stderr: $(head -c 600 "$tmp/err")"
    fail=$((fail + 1))
}

# expect NAME TEST... : counts a check that passes when the test holds.
expect() {
    local name=$1
    shift
    if "$@"; then ok; else bad "$name"; fi
}

has() { grep -qF -- "$2" <<<"$1"; }

good=tests/data/good/minimal.yaml
ndash=$'\xe2\x80\x93'

# A valid file: one summary line on stdout, nothing on stderr.
run check "$good"
expect "valid file exits 0" test "$status" -eq 0
expect "summary line" test "$out" = "$good: 1 event, 0 lanes, 0 sources, 2014"
expect "nothing on stderr" test -z "$err"

run check tests/data/good/unicode.yaml
expect "summary with a lane" test "$out" = "tests/data/good/unicode.yaml: 1 event, 1 lane, 0 sources, 2011-03-11"

# Several events, lanes and sources: plurals and a range with an en dash.
cat >"$tmp/span.yaml" <<'YAML'
sources:
  - {id: a, title: A}
  - {id: b, title: B}
lanes: [{id: x}, {id: y}]
events:
  - {id: one, date: 2015-03-17, title: One, lane: x, sources: [a]}
  - {id: two, date: 2001, title: Two, lane: y, sources: [b]}
  - {id: three, date: 2005-06, end: 2009, title: Three}
YAML
run check "$tmp/span.yaml"
expect "summary with a range" test "$out" = "$tmp/span.yaml: 3 events, 2 lanes, 2 sources, 2001 $ndash 2015-03-17"

# Standard input.
run check - <"$good"
expect "stdin exits 0" test "$status" -eq 0
expect "stdin summary" test "$out" = "<stdin>: 1 event, 0 lanes, 0 sources, 2014"
timeout 10 "$TIMELINE" check - </dev/null >"$tmp/out" 2>"$tmp/err"
status=$? err=$(cat "$tmp/err")
expect "empty stdin exits 1" test "$status" -eq 1
expect "empty stdin error" has "$err" "<stdin>:1:1: error: the file is empty"

# A FIFO is read like any stream.
if mkfifo "$tmp/fifo" 2>/dev/null; then
    # The writer opens the FIFO under the time limit too: with no reader
    # (a missing binary) the open would block, and the test with it.
    timeout 10 sh -c 'cat "$1" >"$2"' sh "$good" "$tmp/fifo" &
    run check "$tmp/fifo"
    wait
    expect "fifo exits 0" test "$status" -eq 0
    expect "fifo summary" test "$out" = "$tmp/fifo: 1 event, 0 lanes, 0 sources, 2014"
fi

# Invalid data: exit 1, errors on stderr with the line and a caret.
printf 'events:\n  - id: a\n    date: 2014\n    titel: A\n' >"$tmp/typo.yaml"
run check "$tmp/typo.yaml"
expect "invalid file exits 1" test "$status" -eq 1
expect "nothing on stdout" test -z "$out"
expect "error with position" has "$err" "$tmp/typo.yaml:4:5: error: unknown key 'titel' in event — did you mean 'title'?"
expect "source line" has "$err" "     4 |     titel: A"
expect "caret line" has "$err" "       |     ^"
expect "missing key reported too" has "$err" "$tmp/typo.yaml:2:5: error: event is missing 'title'"

# Several inputs: each gets its summary or its errors; the worst status wins.
run check "$good" "$tmp/typo.yaml"
expect "good and bad exit 1" test "$status" -eq 1
expect "good one summarized" test "$out" = "$good: 1 event, 0 lanes, 0 sources, 2014"
run check "$tmp/typo.yaml" "$tmp/none.yaml"
expect "bad and missing exit 2" test "$status" -eq 2

# I/O and usage errors: exit 2.
run check "$tmp/none.yaml"
expect "missing file exits 2" test "$status" -eq 2
expect "missing file message" has "$err" "$tmp/none.yaml: error: cannot open: No such file or directory"
run check "$tmp"
expect "directory exits 2" test "$status" -eq 2
expect "directory message" has "$err" "$tmp: error: is a directory"
run check --bogus "$good"
expect "unknown option exits 2" test "$status" -eq 2
expect "unknown option message" has "$err" "unrecognized option '--bogus'"
run check
expect "no input exits 2" test "$status" -eq 2
run frobnicate
expect "unknown command exits 2" test "$status" -eq 2
run
expect "no command exits 2" test "$status" -eq 2

# Option values: too small names the minimum; numbers are decimal only;
# the library's messages name the option, the command line its flag.
svg="$tmp/o.svg"
run render "$good" -o "$svg" --width 0.5
expect "width 0.5 exits 2" test "$status" -eq 2
expect "width 0.5 too small" has "$err" "error: --width: 0.5 is too small — the minimum is 2in (144pt)"
run render "$good" -o "$svg" --height 1in
expect "height 1in too small" has "$err" "error: --height: 1in is too small — the minimum is 2in (144pt)"
run render "$good" -o "$svg" --width 201in
expect "width 201in too large" has "$err" "error: --width: 201in is too large — the maximum is 200in (14400pt)"
run render "$good" -o "$tmp/o.png" --scale 9
expect "scale 9 too large" has "$err" "error: --scale: 9 is too large — the maximum is 8"
run render "$good" -o "$tmp/o.png" --scale 0.05
expect "scale 0.05 too small" has "$err" "error: --scale: 0.05 is too small — the minimum is 0.1"
for v in 0x100 0x1p9 inf nan 1e3 ' 500' '500 ' +500 500.0.0 . ''; do
    run render "$good" -o "$svg" --width "$v"
    expect "width '$v' refused" test "$status" -eq 2
    expect "width '$v' invalid" has "$err" "error: --width: invalid value '$v' — expected a decimal length"
done
for v in 0x1 inf nan 1e0 ' 1'; do
    run render "$good" -o "$tmp/o.png" --scale "$v"
    expect "scale '$v' invalid" has "$err" "error: --scale: invalid value '$v' — expected a decimal number"
done
run render "$good" -o "$svg" --width 500.5pt
expect "width 500.5pt accepted" test "$status" -eq 0
expect "no output file on failure" test ! -e "$tmp/o.png"

# Control characters in --title or --subtitle: exit 2, the option named,
# the message escaped.
for bad in $'a\x1b[2Jb' $'a\x01' $'\x7f' $'\xc2\x85' $'\xef\xbf\xbf' $'\xff'; do
    run render "$good" -o "$tmp/t.svg" --title "$bad"
    expect "title with control refused" test "$status" -eq 2
    expect "title message" has "$err" "error: --title: the text "
    expect "no raw escape" test "$(printf '%s' "$err" | LC_ALL=C tr -d '\n' | LC_ALL=C tr -d '[:print:]' | LC_ALL=C tr -d '\200-\377')" = ""
    expect "no chart written" test ! -e "$tmp/t.svg"
done
run render "$good" -o "$tmp/t.svg" --subtitle $'x\x1b'
expect "subtitle message" has "$err" "error: --subtitle: the text contains U+001B, a control character"

# User text from the command line is quoted in messages.
run render "$good" -o "$tmp/t.svg" --lane $'\x1b]0;pwned\x07'
expect "lane exits 2" test "$status" -eq 2
expect "lane quoted" has "$err" "error: --lane: no lane '\\x1b]0;pwned\\x07' in this file"
run render "$good" -o "$tmp/t.svg" --from $'\x1b[2J'
expect "from exits 2" test "$status" -eq 2
expect "from quoted" has "$err" "--from: "
expect "from no raw escape" test "$(printf '%s' "$err" | LC_ALL=C tr -cd '\033')" = ""

# check --sources DIR with hostile source files, in a scratch directory:
# never hangs (a FIFO), never follows a link out of DIR, says what is
# wrong with a file that is not UTF-8.
src=$tmp/src
mkdir -p "$src" "$tmp/outside"
hostile=tests/data/verify/hostile.yaml
vcheck() { run check --sources "$src" "$hostile"; }
printf 'Un caf\xc3\xa9 au lait.\n' >"$src/doc.txt"
vcheck
expect "utf-8 source passes" test "$status" -eq 0
expect "utf-8 source summary" has "$out" "all quotes found"
rm -f "$src/doc.txt"
mkfifo "$src/doc.txt"
start=$(date +%s)
vcheck
expect "fifo source does not hang" test "$status" -ne 124
expect "fifo source quick" test $(($(date +%s) - start)) -lt 5
expect "fifo source exits 2" test "$status" -eq 2
expect "fifo source message" has "$err" "$hostile:7:11: error: source file '$src/doc.txt' is a FIFO, not a regular file"
rm -f "$src/doc.txt"
printf 'Un caf\xc3\xa9 au lait.\n' >"$tmp/outside/secret.txt"
ln -s "$tmp/outside/secret.txt" "$src/doc.txt"
vcheck
expect "link out exits 1" test "$status" -eq 1
expect "link out refused" has "$err" "error: source file '$src/doc.txt' is a link to '"
expect "link out says outside" has "$err" "outside the sources directory"
expect "link out not verified" test -z "$out"
rm -f "$src/doc.txt"
printf 'Un caf\xc3\xa9 au lait.\n' >"$src/real.txt"
ln -s real.txt "$src/doc.txt"
vcheck
expect "link inside passes" test "$status" -eq 0
rm -f "$src/doc.txt" "$src/real.txt"
ln -s ../outside/secret.txt "$src/doc.txt"
vcheck
expect "relative link out refused" has "$err" "outside the sources directory"
rm -f "$src/doc.txt"
mkdir "$src/doc.txt"
vcheck
expect "directory source message" has "$err" "source file '$src/doc.txt' is a directory, not a regular file"
rmdir "$src/doc.txt"
# A scratch twin of /dev/null, where root may make one.
if mknod "$src/doc.txt" c 1 3 2>/dev/null; then
    vcheck
    expect "device source refused" has "$err" "source file '$src/doc.txt' is a character device, not a regular file"
    rm -f "$src/doc.txt"
fi
printf 'Un caf\xe9 au lait.\n' >"$src/doc.txt"
vcheck
expect "latin-1 exits 1" test "$status" -eq 1
expect "latin-1 named" has "$err" "$hostile:7:11: error: source file '$src/doc.txt' is not UTF-8 text: byte 0xE9 at offset 6"
expect "latin-1 not 'quote not found'" test "${err#*quote not found}" = "$err"
printf '\xff\xfeU\0n\0' >"$src/doc.txt"
vcheck
expect "utf-16le named" has "$err" "source file '$src/doc.txt' is UTF-16 (it starts with the byte order mark FF FE)"
printf '\xfe\xff\0U\0n' >"$src/doc.txt"
vcheck
expect "utf-16be named" has "$err" "byte order mark FE FF"
printf '\xef\xbb\xbfUn caf\xc3\xa9 au lait.\n' >"$src/doc.txt"
vcheck
expect "utf-8 with BOM passes" test "$status" -eq 0
printf 'Un caf\xc3\xa9 au lait \x1b[2J.\n' >"$src/doc.txt"
sed 's/quote: café au lait/quote: "caf\\xe9 \\e[2J"/' "$hostile" >"$tmp/h2.yaml"
run check --sources "$src" "$tmp/h2.yaml"
expect "quote with escape refused at load" has "$err" "'quote' contains U+001B"

# The command line's own messages quote what the user typed.
run render $'--\x1b[2J' "$good"
expect "bad option exits 2" test "$status" -eq 2
expect "bad option quoted" has "$err" "unrecognized option '--\x1b[2J'"
run render "$good" -o $'a\x1b\xff'
expect "bad output name quoted" has "$err" "cannot tell the format of 'a\x1b\xff'"

# Help and version: exit 0, on stdout.
run --help
expect "--help exits 0" test "$status" -eq 0
expect "--help on stdout" has "$out" "Usage: timeline"
expect "--help quiet on stderr" test -z "$err"
run check --help
expect "check --help exits 0" test "$status" -eq 0
expect "check --help on stdout" has "$out" "timeline check"
run --version
expect "--version exits 0" test "$status" -eq 0
version_line() { [[ $out =~ ^timeline\ [0-9]+\.[0-9]+\.[0-9]+$ ]]; }
expect "--version on stdout" version_line
expect "--version quiet on stderr" test -z "$err"

# A summary line that cannot be written is an I/O error, not a silent
# success: standard output on a scratch twin of /dev/full (root only).
if mknod "$tmp/full" c 1 7 2>/dev/null; then
    timeout 10 "$TIMELINE" check "$good" >"$tmp/full" 2>"$tmp/err"
    status=$?
    : >"$tmp/out"
    expect "check to a full device: exit 2" test "$status" -eq 2
    expect "check to a full device: says why" grep -q "No space left on device" "$tmp/err"
else
    echo "cli_check: no mknod here (not root), full-device case skipped" >&2
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
