#!/usr/bin/env bash
# Rendered files: well-formed, searchable, sized, deterministic, and written
# atomically.  Needs xmllint, pdftotext/pdfinfo (poppler-utils).
set -u
. "$(dirname "$0")/lib.sh"
data=data/events.yaml

png_size() { # width height of a PNG, from its IHDR
  od -An -tu1 -j16 -N8 "$1" | awk '{print $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8}'
}

for fmt in svg pdf png md; do
  # The status first: the $(cat) below would reset $?.
  "$T" render "$data" -o "$tmp/a.$fmt" 2>"$tmp/err.$fmt"; rc=$?
  expect "render $fmt exits 0 ($(cat "$tmp/err.$fmt"))" '[ $rc -eq 0 ] && [ -s "$tmp/a.$fmt" ]'
done

# SVG: well-formed, sized, accessible, self-contained.
expect "svg well-formed" 'xmllint --noout "$tmp/a.svg" 2>/dev/null'
expect "svg width/height/viewBox" 'head -c 600 "$tmp/a.svg" | grep -q "width=\"[0-9.]*pt\" height=\"[0-9.]*pt\" viewBox=\"0 0 "'
title=$(sed -n 's/^title: //p' "$data")
expect "svg <title> is the chart title" 'grep -q "<title id=\"[A-Za-z0-9_.-]*-title\">$title</title>" "$tmp/a.svg"'
expect "svg <desc> lists events" 'sed -n "/<desc id=\"[A-Za-z0-9_.-]*-desc\">/,/<\/desc>/p" "$tmp/a.svg" | grep -q "^May 2014: U.S. indicts five PLA officers"'
expect "svg has no external references" '! grep -Eq "(href|src)=\"(https?|file):" "$tmp/a.svg"'
# Open dates ("before 13 Jan 2015") are a bound with a fading tail: a
# gradient of the item's own, which the page refers to.
expect "svg draws open dates with their fade" 'grep -q "<g class=\"tl-open\"><linearGradient id=\"[A-Za-z0-9_.-]*-o[0-9]*\"" "$tmp/a.svg" && grep -q "fill=\"url(#[A-Za-z0-9_.-]*-o[0-9]*)\"" "$tmp/a.svg"'
# librsvg draws it at the size our own PNG has, and not blank.
if command -v rsvg-convert >/dev/null; then
  rsvg-convert "$tmp/a.svg" -o "$tmp/rsvg.png" 2>/dev/null  # at 96 dpi
  read -r rw rh < <(png_size "$tmp/rsvg.png")
  read -r pw ph < <(png_size "$tmp/a.png")
  expect "librsvg renders the svg at the png's size (${rw}x$rh vs ${pw}x$ph)" \
    '[ "$rw" -eq "$pw" ] && [ $((rh - ph)) -le 1 ] && [ $((ph - rh)) -le 1 ] && [ "$(stat -c %s "$tmp/rsvg.png")" -gt 50000 ]'
fi

# A 16:9 slide has no room for every label: the key events (importance 3)
# keep theirs, and the others are numbered in a key.
"$T" render "$data" --page slide-16x9 -o "$tmp/slide.pdf" 2>"$tmp/slide.err"
slide=$(pdftotext "$tmp/slide.pdf" - | tr -s ' \n' ' ')
for key in "U.S. indicts five PLA" "China suspends cyber" \
           "Guardians of Peace hack Sony Pictures" "Lu Chuanying urges resuming" \
           "NBR publishes James Lewis"; do
  expect "slide labels '$key'" 'case $slide in *"$key"*) true ;; *) false ;; esac'
done
expect "slide says how many have no label" 'grep -q "of 24 events have no room for a label" "$tmp/slide.err"'
expect "slide keys the others" 'case $slide in *"Obama calls the Sony hack"*) true ;; *) false ;; esac'
# --callouts off: bare markers, no key, and the warning says so.
"$T" render "$data" --page slide-16x9 --callouts off -o "$tmp/bare.pdf" 2>"$tmp/bare.err"
bare=$(pdftotext "$tmp/bare.pdf" - | tr -s ' \n' ' ')
expect "callouts off: no key" 'case $bare in *"Obama calls the Sony hack"*) false ;; *) true ;; esac'
expect "callouts off: says how many have no label" 'grep -q "of 24 events have no label (no room)" "$tmp/bare.err"'
expect "callouts: a bad value is refused" '! "$T" render "$data" --callouts maybe -o "$tmp/bad.svg" 2>/dev/null

# In a narrow column the title wraps, but never inside its year range (at
# 321 pt a break after the dash would otherwise fit).
"$T" render "$data" --width 321pt -o "$tmp/col.pdf" 2>/dev/null
expect "a narrow title keeps 2001–2015 on one line" 'pdftotext "$tmp/col.pdf" - | grep -q "2001–2015"'

# Text that cannot wrap (a lane name that is one grapheme cluster) is cut
# at its wrap width and clipped; the dataset's chart clips nothing.
"$T" render tests/data/good/unbreakable.yaml --layout lanes --width 320 -o "$tmp/u.svg" 2>"$tmp/u.err"; rc=$?
expect "unbreakable text renders ($(cat "$tmp/u.err"))" '[ $rc -eq 0 ] && xmllint --noout "$tmp/u.svg"'
expect "unbreakable text is clipped" 'grep -q "<clipPath" "$tmp/u.svg" && ! grep -q "<clipPath" "$tmp/a.svg"'

# PDF: metadata, and every word of every event title as real text.
# Each face is embedded once, as a simple font: no ligature glyph sends a
# second, CID-keyed copy of the face into the file.
fonts=$(pdffonts "$tmp/a.pdf" | tail -n +3 | awk '{print $2}' | tr '\n' ' ')
expect "pdf embeds two simple fonts (types: $fonts)" '[ "$fonts" = "TrueType TrueType " ]'
expect "pdf title metadata" 'pdfinfo "$tmp/a.pdf" | grep -qx "Title: *$title"'
pdftotext -layout "$tmp/a.pdf" "$tmp/a.txt"
tr -s '[:space:]' ' ' <"$tmp/a.txt" >"$tmp/flat.txt"
missing=0
while IFS= read -r t; do
  for w in $t; do
    w=${w//[\"()]/}
    # A line may break after a hyphen or dash: look for each part.
    w=${w//-/- }
    for part in ${w//–/– }; do
      [ ${#part} -ge 3 ] || continue
      grep -qF -- "$part" "$tmp/flat.txt" || { missing=$((missing+1)); echo "  missing word: $part (in: $t)" >&2; }
    done
  done
done < <(sed -n 's/^    title: //p' "$data")
expect "pdf text has every title word" '[ $missing -eq 0 ]'
expect "pdf text has the source line" 'grep -q "Sources:" "$tmp/flat.txt"'

# PNG: the chart in points at 96 px per inch, so 960 pt are 1280 px;
# --scale 2 doubles both sides exactly.
read -r w1 h1 < <(png_size "$tmp/a.png")
expect "png default width" '[ "$w1" -eq 1280 ]'
"$T" render "$data" -o "$tmp/b.png" --scale 2 2>/dev/null
read -r w2 h2 < <(png_size "$tmp/b.png")
expect "png --scale 2 doubles size" '[ "$w2" -eq $((w1*2)) ] && [ "$h2" -eq $((h1*2)) ]'
"$T" render "$data" -o "$tmp/c.png" --width 85mm 2>/dev/null
read -r w3 h3 < <(png_size "$tmp/c.png")
expect "png --width 85mm is 321 px" '[ "$w3" -eq 321 ]'
"$T" render "$data" -o "$tmp/d.png" --page slide-16x9 2>/dev/null
read -r w4 h4 < <(png_size "$tmp/d.png")
expect "png slide is 1280x720" '[ "$w4" -eq 1280 ] && [ "$h4" -eq 720 ]'
# A PNG is the PDF's chart rasterized: the same options leave the same
# events without a label, whatever the format (boxes where some have none).
for size in "--page slide-16x9" "--width 300pt --height 300pt" "--width 4in --height 3in"; do
  # shellcheck disable=SC2086
  "$T" render "$data" -o "$tmp/same.png" $size 2>"$tmp/same-png.err"
  # shellcheck disable=SC2086
  "$T" render "$data" -o "$tmp/same.pdf" $size 2>"$tmp/same-pdf.err"
  expect "png and pdf label the same events ($size)" \
    'grep -q "no room" "$tmp/same-pdf.err" && cmp -s "$tmp/same-png.err" "$tmp/same-pdf.err"'
done

# Markdown alternative.
expect "md table header" 'grep -qF "| Date | Event | Lane | Sources |" "$tmp/a.md"'
expect "md has the indictment in May 2014" 'grep -q "^| May 2014 | U.S. indicts five PLA officers" "$tmp/a.md"'

# Determinism: same input, same bytes.
for fmt in svg pdf png; do
  "$T" render "$data" -o "$tmp/again.$fmt" 2>/dev/null
  expect "$fmt is byte-identical on a second run" 'cmp -s "$tmp/a.$fmt" "$tmp/again.$fmt"'
done

# Every layout and theme renders.
for layout in axis lanes list; do
  for theme in light dark print; do
    "$T" render "$data" -o "$tmp/$layout-$theme.pdf" --layout "$layout" --theme "$theme" 2>/dev/null
    expect "render $layout/$theme" '[ $? -eq 0 ] && [ -s "$tmp/$layout-$theme.pdf" ]'
  done
done

# Standard output.
"$T" render "$data" -o - --format svg >"$tmp/out.svg" 2>/dev/null
expect "svg to stdout" '[ $? -eq 0 ] && cmp -s "$tmp/out.svg" "$tmp/a.svg"'
"$T" render "$data" -o - >/dev/null 2>"$tmp/err"
expect "stdout without --format exits 2" '[ $? -eq 2 ] && grep -q -- "--format" "$tmp/err"'
"$T" render "$data" -o - --format png 2>"$tmp/err" | head -c 10 >/dev/null
rc=${PIPESTATUS[0]}
expect "stdout closed early: exit 2 with a message (rc=$rc)" '[ "$rc" -eq 2 ] && grep -qi "broken pipe" "$tmp/err"'

# --timings: one line on stderr, each stage a number, the stages within the
# total; the chart is the same as without it.
"$T" render "$data" -o "$tmp/timed.svg" --timings 2>"$tmp/timings"; rc=$?
expect "render --timings exits 0" '[ $rc -eq 0 ] && cmp -s "$tmp/timed.svg" "$tmp/a.svg"'
n='[0-9]+\.[0-9]{2}'
expect "--timings prints one line of stages ($(cat "$tmp/timings"))" \
  '[ "$(wc -l <"$tmp/timings")" -eq 1 ] && grep -Eq "^timings: load $n ms, fonts $n ms, layout $n ms, draw $n ms, output $n ms, total $n ms$" "$tmp/timings"'
expect "--timings stages add up to no more than the total" \
  'awk -F"[ ,]+" "{ s = \$3 + \$6 + \$9 + \$12 + \$15; exit !(\$6 > 0 && \$9 > 0 && s <= \$18) }" "$tmp/timings"'
"$T" check "$data" --timings >/dev/null 2>"$tmp/err"; rc=$?
expect "check --timings is a usage error" '[ $rc -eq 2 ] && grep -q "belongs to .timeline render." "$tmp/err"'

# Atomic writes: a failing run leaves an existing file untouched.
cp "$tmp/a.svg" "$tmp/keep.svg"
printf 'events: [\n' >"$tmp/broken.yaml"
"$T" render "$tmp/broken.yaml" -o "$tmp/keep.svg" 2>/dev/null
expect "bad input exits 1" '[ $? -eq 1 ]'
expect "existing file survives bad input" 'cmp -s "$tmp/keep.svg" "$tmp/a.svg"'
"$T" render "$data" -o "$tmp/keep.svg" --theme neon 2>"$tmp/err"
expect "bad option exits 2, names the option" '[ $? -eq 2 ] && grep -q -- "--theme: invalid value .neon." "$tmp/err"'
expect "existing file survives bad option" 'cmp -s "$tmp/keep.svg" "$tmp/a.svg"'
"$T" render "$data" -o "$tmp/nodir/x.svg" 2>"$tmp/err"
expect "missing directory exits 2" '[ $? -eq 2 ] && grep -q "No such file or directory" "$tmp/err"'
mkdir "$tmp/adir.svg"
"$T" render "$data" -o "$tmp/adir.svg" 2>"$tmp/err"
expect "directory as output exits 2" '[ $? -eq 2 ] && grep -qi "is a directory" "$tmp/err"'
"$T" render "$data" -o "$tmp/x.jpeg" 2>"$tmp/err"
expect "unknown extension exits 2" '[ $? -eq 2 ] && grep -q "cannot tell the format" "$tmp/err"'
# A write that fails part way (the file-size limit, standing in for a full
# disk): exit 2 with the reason, the old file intact, no temporary left.
(trap '' XFSZ; ulimit -f 16; "$T" render "$data" -o "$tmp/keep.svg") 2>"$tmp/err"
expect "failed write exits 2 with the reason" '[ $? -eq 2 ] && grep -q "keep.svg: error: cannot write the chart: File too large" "$tmp/err"'
expect "existing file survives a failed write" 'cmp -s "$tmp/keep.svg" "$tmp/a.svg"'
expect "no temporary files left behind" '[ -z "$(find "$tmp" -name ".*.??????")" ]'
if [ "$(id -u)" -ne 0 ]; then
  mkdir "$tmp/ro"; chmod 500 "$tmp/ro"
  "$T" render "$data" -o "$tmp/ro/x.svg" 2>"$tmp/err"
  expect "unwritable directory exits 2" '[ $? -eq 2 ] && grep -q "Permission denied" "$tmp/err"'
fi
# A full disk: a scratch twin of /dev/full, made here (root only), as
# standard output and as the output itself (a device is written into).
if mknod "$tmp/full" c 1 7 2>/dev/null; then
  "$T" render "$data" -o - --format pdf >"$tmp/full" 2>"$tmp/err"
  expect "disk full on stdout exits 2" '[ $? -eq 2 ] && grep -qi "no space" "$tmp/err"'
  "$T" render "$data" -o "$tmp/full" --format pdf 2>"$tmp/err"
  expect "disk full on a device exits 2" '[ $? -eq 2 ] && grep -q "full: error: cannot write the chart: No space left" "$tmp/err"'
  expect "the device is still a device" '[ -c "$tmp/full" ]'
fi

# In a report column (85 mm, natural height) titles may take five lines:
# none is cut with an ellipsis, and the longest reads whole.
"$T" render "$data" --width 85mm -o "$tmp/col.svg" 2>/dev/null
expect "85 mm: no title cut short" '! grep -q "…" "$tmp/col.svg" && grep -q "with the U.S." "$tmp/col.svg"'

finish outputs
