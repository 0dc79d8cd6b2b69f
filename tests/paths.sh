#!/usr/bin/env bash
# What -o names decides how the chart gets there: regular files replaced
# atomically, links followed, FIFOs and character devices written into, the
# input never overwritten, no temporary file left by a signal, no binary on
# a terminal; and the list layout's pages all present in SVG and PNG.
# Everything happens in a scratch directory: no test here names a real
# device node.
set -u
. "$(dirname "$0")/lib.sh"
data=data/events.yaml
temps() { find "$tmp" -name '.*.??????' | wc -l; }

png_size() { # width height of a PNG, from its IHDR
  od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'
}

"$T" render "$data" -o "$tmp/ref.svg" 2>/dev/null

# A FIFO is written into, not replaced: its reader gets the whole chart.
mkfifo "$tmp/fifo.svg"
timeout 20 cat "$tmp/fifo.svg" >"$tmp/from-fifo.svg" &
timeout 20 "$T" render "$data" -o "$tmp/fifo.svg" 2>"$tmp/err"; rc=$?
wait
expect "fifo: exit 0 ($(cat "$tmp/err"))" '[ $rc -eq 0 ]'
expect "fifo: the reader gets the chart" 'cmp -s "$tmp/from-fifo.svg" "$tmp/ref.svg"'
expect "fifo: still a fifo" '[ -p "$tmp/fifo.svg" ]'

# A character device is written into: a scratch twin of /dev/null, made
# here (root only).
if mknod "$tmp/null" c 1 3 2>/dev/null; then
  "$T" render "$data" -o "$tmp/null" --format png 2>"$tmp/err"; rc=$?
  expect "char device: exit 0 ($(cat "$tmp/err"))" '[ $rc -eq 0 ]'
  expect "char device: still the device" '[ -c "$tmp/null" ] && [ "$(stat -c %t,%T "$tmp/null")" = "1,3" ]'
else
  echo "paths: no mknod here (not root), character device case skipped" >&2
fi

# A socket is neither replaced nor written: a clear error.  (Python makes
# one where it is installed.)
if command -v python3 >/dev/null; then
  python3 -c 'import socket, sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])' "$tmp/sock.svg"
  "$T" render "$data" -o "$tmp/sock.svg" 2>"$tmp/err"; rc=$?
  expect "socket: exit 2 with the reason" '[ $rc -eq 2 ] && grep -q "sock.svg: error: is a socket" "$tmp/err"'
  expect "socket: still a socket" '[ -S "$tmp/sock.svg" ]'
fi

# A symbolic link stays a link; its target gets the chart.  Relative links
# are followed from the link's own directory, through a chain.
mkdir "$tmp/a" "$tmp/b"
echo old >"$tmp/b/target.svg"
ln -s ../b/target.svg "$tmp/a/hop.svg"
ln -s a/hop.svg "$tmp/link.svg"
"$T" render "$data" -o "$tmp/link.svg" 2>"$tmp/err"; rc=$?
expect "symlink: exit 0 ($(cat "$tmp/err"))" '[ $rc -eq 0 ]'
expect "symlink: the link is still a link" '[ -L "$tmp/link.svg" ] && [ "$(readlink "$tmp/link.svg")" = a/hop.svg ]'
expect "symlink: the chain is intact" '[ -L "$tmp/a/hop.svg" ]'
expect "symlink: the final target holds the chart" 'cmp -s "$tmp/b/target.svg" "$tmp/ref.svg"'
# A dangling link: its target is created, as the shell's > would.
ln -s new-target.svg "$tmp/dangling.svg"
"$T" render "$data" -o "$tmp/dangling.svg" 2>/dev/null
expect "dangling symlink: target created, link kept" '[ -L "$tmp/dangling.svg" ] && cmp -s "$tmp/new-target.svg" "$tmp/ref.svg"'
# A link the kernel alone can follow (as /dev/stdout is): into the pipe.
ln -s /proc/self/fd/1 "$tmp/stdout.svg"
"$T" render "$data" -o "$tmp/stdout.svg" 2>"$tmp/err" | cat >"$tmp/piped.svg"
rc=${PIPESTATUS[0]}
expect "link to standard output, a pipe: written into it ($(cat "$tmp/err"))" \
  '[ $rc -eq 0 ] && cmp -s "$tmp/piped.svg" "$tmp/ref.svg" && [ -L "$tmp/stdout.svg" ]'
ln -s loop1.svg "$tmp/loop2.svg"; ln -s loop2.svg "$tmp/loop1.svg"
"$T" render "$data" -o "$tmp/loop1.svg" 2>"$tmp/err"
expect "symlink loop: exit 2 with the reason" '[ $? -eq 2 ] && grep -q "loop1.svg: error: .*symbolic links" "$tmp/err"'

# Modes: a new file's from the umask; a replaced file's permission bits,
# never setuid, setgid or sticky.
(umask 027; "$T" render "$data" -o "$tmp/umask.svg" 2>/dev/null)
expect "new file: mode from the umask ($(stat -c %a "$tmp/umask.svg"))" '[ "$(stat -c %a "$tmp/umask.svg")" = 640 ]'
echo old >"$tmp/suid.png"; chmod 6755 "$tmp/suid.png"
"$T" render "$data" -o "$tmp/suid.png" 2>/dev/null
expect "setuid/setgid file: bits dropped ($(stat -c %a "$tmp/suid.png"))" '[ "$(stat -c %a "$tmp/suid.png")" = 755 ]'
echo old >"$tmp/sticky.svg"; chmod 1604 "$tmp/sticky.svg"
"$T" render "$data" -o "$tmp/sticky.svg" 2>/dev/null
expect "sticky file: bit dropped, the rest kept ($(stat -c %a "$tmp/sticky.svg"))" '[ "$(stat -c %a "$tmp/sticky.svg")" = 604 ]'

# The input is never the output, however it is spelt: exit 2, untouched.
cp "$data" "$tmp/in.yaml"
ln "$tmp/in.yaml" "$tmp/hard.svg"
ln -s in.yaml "$tmp/soft.pdf"
base=$(basename "$tmp")
for out in "$tmp/in.yaml" "$tmp/./in.yaml" "$tmp/../$base/in.yaml" "$tmp/hard.svg" "$tmp/soft.pdf"; do
  "$T" render "$tmp/in.yaml" -o "$out" --format pdf 2>"$tmp/err"; rc=$?
  expect "input as output ($out): exit 2 ($rc)" '[ $rc -eq 2 ] && grep -q "the output is the input file" "$tmp/err"'
  expect "input as output ($out): input untouched" 'cmp -s "$tmp/in.yaml" "$data"'
done
(cd "$tmp" && "$T" render in.yaml -o hard.svg 2>/dev/null)
expect "input as output (relative, hard link): exit 2" '[ $? -eq 2 ] && cmp -s "$tmp/in.yaml" "$data"'
"$T" render "$tmp/in.yaml" -o - --format svg >>"$tmp/in.yaml" 2>"$tmp/err"; rc=$?
expect "standard output appending to the input: exit 2 ($rc)" \
  '[ $rc -eq 2 ] && grep -q "<stdout>: error: is the input file" "$tmp/err" && cmp -s "$tmp/in.yaml" "$data"'

# The longest legal name (254 bytes and 255 bytes): the temporary name is
# shortened to fit.
for n in 250 251; do
  name=$(printf 'n%.0s' $(seq 1 "$n")).svg
  "$T" render "$data" -o "$tmp/$name" 2>"$tmp/err"; rc=$?
  expect "$((n + 4))-byte name: exit 0 ($(cat "$tmp/err"))" '[ $rc -eq 0 ] && cmp -s "$tmp/$name" "$tmp/ref.svg"'
  rm -f "$tmp/$name"
done
expect "no temporary files left behind" '[ "$(temps)" -eq 0 ]'

# A signal during a long render: the temporary file is removed and the
# signal ends the command.  SIGINT is reset first: a background job starts
# with it ignored, and an ignored signal stays ignored.
{
  echo "title: Many"; echo "events:"
  for i in $(seq 1 20000); do
    printf '  - {id: e%d, date: %d-%02d-%02d, title: Event number %d of a long list}\n' \
      "$i" $((1900 + i % 120)) $((1 + i % 12)) $((1 + i % 28)) "$i"
  done
} >"$tmp/big.yaml"
echo precious >"$tmp/big.pdf"
for sig in TERM HUP INT; do
  env --default-signal=INT "$T" render "$tmp/big.yaml" --layout list -o "$tmp/big.pdf" 2>/dev/null &
  pid=$!
  for _ in $(seq 1 500); do [ "$(temps)" -gt 0 ] && break; sleep 0.02; done
  seen=$(temps)
  kill -"$sig" "$pid"; { wait "$pid"; } 2>/dev/null; rc=$?
  want=$((128 + $(kill -l "$sig")))
  expect "SIG$sig: the render was writing (temps: $seen)" '[ "$seen" -eq 1 ]'
  expect "SIG$sig: the signal ends it (rc $rc, want $want)" '[ "$rc" -eq "$want" ]'
  expect "SIG$sig: no temporary file left" '[ "$(temps)" -eq 0 ]'
  expect "SIG$sig: the old file untouched" '[ "$(cat "$tmp/big.pdf")" = precious ]'
done

# PDF or PNG to a terminal: refused with a hint; SVG is text and goes.
if command -v script >/dev/null && script -qec true /dev/null >/dev/null 2>&1; then
  for fmt in png pdf; do
    script -qec "'$T' render '$data' -o - --format $fmt" /dev/null >"$tmp/tty.out" 2>&1; rc=$?
    expect "$fmt to a terminal: exit 2 ($rc)" '[ $rc -eq 2 ]'
    expect "$fmt to a terminal: a hint, no binary" \
      'grep -q "standard output is a terminal.*-o FILE, or a pipe" "$tmp/tty.out" && ! grep -q "PNG.*IHDR\|%PDF" "$tmp/tty.out"'
  done
  script -qec "'$T' render '$data' -o - --format svg" /dev/null >"$tmp/tty.out" 2>&1
  expect "svg to a terminal: written" '[ $? -eq 0 ] && grep -q "<svg" "$tmp/tty.out"'
else
  echo "paths: no script(1), terminal cases left to test_api" >&2
fi
"$T" render "$data" -o - --format png 2>/dev/null | cmp -s - <("$T" render "$data" -o - --format png 2>/dev/null)
rc="${PIPESTATUS[0]} ${PIPESTATUS[1]}"
expect "png to a pipe: written ($rc)" '[ "$rc" = "0 0" ]'

# The list layout with a page height in SVG and PNG: the pages one below
# the other, every event on them (PDF has two pages).
"$T" render "$data" --layout list --page a4 -o "$tmp/list.pdf" 2>/dev/null
pages=$(pdfinfo "$tmp/list.pdf" | awk '/^Pages:/ {print $2}')
expect "list on a4: 2 pdf pages ($pages)" '[ "$pages" = 2 ]'
"$T" render "$data" --layout list --page a4 -o "$tmp/list.png" 2>/dev/null
read -r w h < <(png_size "$tmp/list.png")
# A4 at 96 px to the inch: 794 x 1123 px a page.
expect "list png: two a4 pages tall (${w}x$h)" '[ "$w" -eq 794 ] && [ "$h" -ge 2244 ] && [ "$h" -le 2246 ]'
"$T" render "$data" --layout list --page a4 -o "$tmp/list.svg" 2>/dev/null
expect "list svg: well-formed, two pages tall" \
  'xmllint --noout "$tmp/list.svg" && head -c 400 "$tmp/list.svg" | grep -q "height=\"1683.78pt\""'
# Text is on both pages: the second page's group, moved down a page, has
# labels; and with Cairo's outlines, some glyphs lie below the first
# page's foot.
second=$(sed -n '/<g class="tl-page" id="[^"]*-p2" transform="translate(0 841.89)">/,$p' \
         "$tmp/list.svg" | grep -c '<text ')
expect "list svg: text on the second page ($second texts)" '[ "$second" -gt 10 ]'
"$T" render "$data" --layout list --page a4 --svg-text paths -o "$tmp/list-paths.svg" 2>/dev/null
maxy=$(grep -o '<use xlink:href="#glyph[^"]*" x="[0-9.]*" y="[0-9.]*"' "$tmp/list-paths.svg" |
       sed 's/.*y="\([0-9.]*\)"/\1/' | sort -g | tail -1)
expect "list svg paths: text on the second page (lowest glyph at y=$maxy)" \
  'awk -v y="$maxy" "BEGIN { exit !(y > 841.89 && y < 1683.78) }"'
# Every event is in the PDF's text; the SVG has the same pages: the PDF of
# one page as tall as both shows the same events.
pdftotext "$tmp/list.pdf" - | tr -s ' \n' ' ' >"$tmp/list.txt"
missing=0
while IFS= read -r t; do
  first=${t%% *}; grep -qF -- "$first" "$tmp/list.txt" || missing=$((missing+1))
done < <(sed -n 's/^    title: //p' "$data")
expect "list pdf: every event present ($missing missing)" '[ "$missing" -eq 0 ]'
# A height that needs three pages: three pages tall.
"$T" render "$data" --layout list --height 400 -o "$tmp/tall.png" 2>/dev/null
read -r w h < <(png_size "$tmp/tall.png")
"$T" render "$data" --layout list --height 400 -o "$tmp/tall.pdf" 2>/dev/null
pages=$(pdfinfo "$tmp/tall.pdf" | awk '/^Pages:/ {print $2}')
# 400 pt a page, at 96 px per inch: the pages' points, rounded once.
want=$(awk -v p="$pages" 'BEGIN { printf "%d", p * 400 * 4 / 3 + 0.5 }')
expect "list --height 400: png is $pages pages of 400 pt ($h px)" '[ "$pages" -ge 3 ] && [ "$h" -eq "$want" ]'

# Other settings that could drop events say so.  A height too small for
# the axis cuts the chart: a warning with what it needs and what is lost.
"$T" render "$data" --height 200 -o "$tmp/low.pdf" 2>"$tmp/err"; rc=$?
expect "axis --height 200: warns of the cut ($(cat "$tmp/err"))" \
  '[ $rc -eq 0 ] && grep -q "warning: the chart needs a height of [0-9]* pt and has 200 — the rest is cut off" "$tmp/err"'
"$T" render "$data" --layout lanes --height 200 -o "$tmp/low.png" 2>"$tmp/err"
expect "lanes --height 200: warns of the cut" 'grep -q "warning: the chart needs a height of [0-9]* pt and has 200 — the rest is cut off" "$tmp/err"'
for layout in axis lanes list; do
  for size in "" "--page a4" "--page slide-16x9" "--width 150pt"; do
    "$T" render "$data" --layout $layout $size -o "$tmp/fits.pdf" 2>"$tmp/err"
    expect "$layout $size: nothing cut off" '! grep -q "cut off" "$tmp/err"'
  done
done
# Filters that keep nothing: an empty chart, with a warning.
"$T" render "$data" --from 2030 -o "$tmp/none.svg" 2>"$tmp/err"; rc=$?
expect "filters keeping nothing: a warning ($(cat "$tmp/err"))" \
  '[ $rc -eq 0 ] && grep -q "warning: the filters keep none of the events — the chart is empty" "$tmp/err"'

# Standard input that is the output file, to a named output or to standard
# output: refused as the input named is, the file untouched.
cp "$data" "$tmp/stdin.yaml"
"$T" render - -o "$tmp/stdin.yaml" --format svg <"$tmp/stdin.yaml" 2>"$tmp/err"; rc=$?
expect "standard input as the output file: exit 2 ($rc)" \
  '[ $rc -eq 2 ] && grep -q "the output is the input file" "$tmp/err" && cmp -s "$tmp/stdin.yaml" "$data"'
"$T" render - -o - --format svg <"$tmp/stdin.yaml" >>"$tmp/stdin.yaml" 2>"$tmp/err"; rc=$?
expect "standard input appended to by standard output: exit 2 ($rc)" \
  '[ $rc -eq 2 ] && grep -q "the output is the input file" "$tmp/err" && cmp -s "$tmp/stdin.yaml" "$data"'
"$T" render - -o "$tmp/from-stdin.svg" <"$tmp/stdin.yaml" 2>"$tmp/err"; rc=$?
expect "standard input, another output: exit 0 ($(cat "$tmp/err"))" '[ $rc -eq 0 ] && cmp -s "$tmp/from-stdin.svg" "$tmp/ref.svg"'

# A file-size limit (ulimit -f) is a write error, not SIGXFSZ killing the
# command with its temporary file left behind: exit 2, nothing left.
mkdir "$tmp/fsize"
echo old >"$tmp/fsize/small.pdf"
(ulimit -f 8; exec "$T" render "$data" -o "$tmp/fsize/small.pdf") 2>"$tmp/err"; rc=$?
expect "file-size limit: exit 2 with the reason ($rc: $(cat "$tmp/err"))" \
  '[ $rc -eq 2 ] && grep -q "File too large" "$tmp/err"'
expect "file-size limit: no temporary file, the old file kept ($(ls -A "$tmp/fsize" | tr "\n" " "))" \
  '[ "$(ls -A "$tmp/fsize")" = small.pdf ] && [ "$(cat "$tmp/fsize/small.pdf")" = old ]'

# A path of 4094 bytes is legal; its temporary file's name is shortened so
# that the whole stays under PATH_MAX as well as NAME_MAX.  (Relative to
# $tmp: with $tmp in front the path would be too long to name.)
deep=""; seg=$(printf 'd%.0s' $(seq 1 250))
for i in $(seq 1 16); do deep="$deep$seg/"; done
mkdir -p "$tmp/$deep"
leaf=$(printf 'x%.0s' $(seq 1 $((4094 - ${#deep} - 4)))).svg
(cd "$tmp" && echo old >"$deep$leaf" && "$T" render "$SRCDIR/$data" -o "$deep$leaf") 2>"$tmp/err"; rc=$?
expect "4094-byte path: exit 0 ($rc: $(head -c 300 "$tmp/err"))" \
  '[ $rc -eq 0 ] && (cd "$tmp" && cmp -s "$deep$leaf" ref.svg)'
expect "4094-byte path: no temporary file left" '[ "$(ls -A "$tmp/$deep")" = "$leaf" ]'
rm -rf "${tmp:?}/$seg"

# Other signals whose default is to end the command (Ctrl-\, an alarm, a
# CPU-time limit, a user signal) remove the temporary file as well.
for sig in QUIT ALRM XCPU USR1; do
  (ulimit -c 0; exec env --default-signal=INT,QUIT "$T" render "$tmp/big.yaml" --layout list \
    -o "$tmp/big.pdf" 2>/dev/null) &
  pid=$!
  for _ in $(seq 1 500); do [ "$(temps)" -gt 0 ] && break; sleep 0.02; done
  seen=$(temps)
  kill -"$sig" "$pid"; { wait "$pid"; } 2>/dev/null; rc=$?
  want=$((128 + $(kill -l "$sig")))
  expect "SIG$sig: the render was writing (temps: $seen)" '[ "$seen" -eq 1 ]'
  expect "SIG$sig: the signal ends it (rc $rc, want $want)" '[ "$rc" -eq "$want" ]'
  expect "SIG$sig: no temporary file left" '[ "$(temps)" -eq 0 ]'
  expect "SIG$sig: the old file untouched" '[ "$(cat "$tmp/big.pdf")" = precious ]'
done

finish paths
