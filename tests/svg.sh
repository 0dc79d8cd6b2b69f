#!/usr/bin/env bash
# SVG with its words as <text>: well-formed, searchable, small, with unique
# prefixed ids, the same bytes for the same input, and hostile titles and
# links escaped.  Needs xmllint (libxml2-utils).
set -u
. "$(dirname "$0")/lib.sh"
data=data/events.yaml

# Every id="..." of a file, one a line.
ids() { grep -o ' id="[^"]*"' "$1" | sed 's/^ id="//; s/"$//'; }
# Every url(#...) and aria-labelledby reference resolves to an id.
refs_resolve() {
  local f=$1 r
  for r in $(grep -o 'url(#[^)]*)' "$f" | sed 's/^url(#//; s/)$//') \
           $(grep -o 'aria-labelledby="[^"]*"' "$f" | sed 's/^[^"]*"//; s/"$//'); do
    ids "$f" | grep -qxF "$r" || return 1
  done
}

for layout in axis lanes list; do
  f=$tmp/$layout.svg
  "$T" render "$data" --layout "$layout" -o "$f" 2>"$tmp/err"; rc=$?
  expect "$layout: render exits 0 ($(cat "$tmp/err"))" '[ $rc -eq 0 ]'
  expect "$layout: well-formed" 'xmllint --noout "$f" 2>/dev/null'
  expect "$layout: text, not glyph outlines" 'grep -q "<text " "$f" && ! grep -q "<symbol" "$f"'
  expect "$layout: ids unique" '[ -z "$(ids "$f" | sort | uniq -d)" ]'
  expect "$layout: references resolve" 'refs_resolve "$f"'
  expect "$layout: one group per event" '[ "$(grep -c "<g id=\"[^\"]*-e[0-9]*\" class=\"tl-event" "$f")" = 24 ]'
  # Every line of text carries its measured width.
  expect "$layout: textLength on every line" \
    '[ "$(grep -o "<t[es][xp][ta][^>]*x=\"[^>]*>" "$f" | grep -vc textLength=)" = 0 ]'
done
f=$tmp/axis.svg
# The words are there to find, select and edit.
for words in "U.S. indicts five PLA" "Guardians of Peace hack Sony Pictures" \
             ">17 Mar 2015" "Cyber cooperation in Northeast Asia"; do
  expect "text '$words' findable" 'grep -qF "$words" "$f"'
done
expect "event group has its title and date in words" \
  'grep -qF "<title>Guardians of Peace hack Sony Pictures, Nov 2014</title>" "$f"'
expect "classes for parts and lanes" \
  'grep -q "class=\"tl-event tl-lane-2\"" "$f" && grep -q "class=\"tl-label\"" "$f" &&
   grep -q "class=\"tl-date\"" "$f" && grep -q "class=\"tl-marker\"" "$f" &&
   grep -q "class=\"tl-stem tl-lane-1\"" "$f"'
expect "root: size in pt, viewBox, role, labelled" \
  'head -c 800 "$f" | grep -q "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"960pt\" height=\"[0-9.]*pt\" viewBox=\"0 0 960 [0-9.]*\" role=\"img\" aria-labelledby=\"tl-[0-9a-f]\{8\}-title tl-[0-9a-f]\{8\}-desc\""'
size=$(wc -c <"$f")
expect "dataset SVG under 40 KB ($size bytes)" '[ "$size" -lt 40000 ]'

# The same input, the same bytes, across runs; another input, other ids.
"$T" render "$data" -o "$tmp/again.svg" 2>/dev/null
expect "same bytes across runs" 'cmp -s "$f" "$tmp/again.svg"'
p1=$(ids "$f" | head -1 | sed 's/-title$//')
p2=$(ids "$tmp/lanes.svg" | head -1 | sed 's/-title$//')
expect "default prefix derived from the chart ($p1, $p2)" \
  '[ "$p1" != "$p2" ] && [ -z "$(ids "$f" | grep -v "^$p1-")" ]'
"$T" render "$data" --theme dark -o "$tmp/dark.svg" 2>/dev/null
p3=$(ids "$tmp/dark.svg" | head -1 | sed 's/-title$//')
expect "another theme, another prefix ($p1, $p3)" '[ -n "$p3" ] && [ "$p1" != "$p3" ]'
"$T" render "$data" --id-prefix chart-2 -o "$tmp/prefixed.svg" 2>/dev/null
expect "--id-prefix prefixes every id" \
  '[ -n "$(ids "$tmp/prefixed.svg")" ] && [ -z "$(ids "$tmp/prefixed.svg" | grep -v "^chart-2-")" ] &&
   grep -q "aria-labelledby=\"chart-2-title chart-2-desc\"" "$tmp/prefixed.svg"'
"$T" render "$data" --id-prefix '2"x' -o "$tmp/no.svg" 2>"$tmp/err"; rc=$?
expect "bad --id-prefix refused" '[ $rc -eq 2 ] && [ ! -e "$tmp/no.svg" ] && grep -q "id-prefix" "$tmp/err"'
"$T" render "$data" --svg-text outlines -o "$tmp/no.svg" 2>"$tmp/err"; rc=$?
expect "bad --svg-text refused" '[ $rc -eq 2 ] && grep -q "expected text or paths" "$tmp/err"'

# A list at a fixed height has pages; an SVG shows them one under another.
"$T" render "$data" --layout list --height 400pt -o "$tmp/pages.svg" 2>/dev/null
n=$(grep -c '<g class="tl-page" id="tl-[0-9a-f]*-p[0-9]*" transform="translate(0 [0-9.]*)">' "$tmp/pages.svg")
expect "list pages stacked ($n)" \
  '[ "$n" -gt 1 ] && head -c 300 "$tmp/pages.svg" | grep -q "height=\"$((n * 400))pt\"" &&
   [ "$(grep -c "<g id=\"[^\"]*-e[0-9]*\" class=\"tl-event" "$tmp/pages.svg")" = 24 ] &&
   xmllint --noout "$tmp/pages.svg"'

# Cairo's glyph outlines on request.
"$T" render "$data" --svg-text paths -o "$tmp/paths.svg" 2>/dev/null
expect "--svg-text paths: outlines, well-formed" \
  'xmllint --noout "$tmp/paths.svg" && grep -q "<symbol" "$tmp/paths.svg" && ! grep -q "<text " "$tmp/paths.svg"'

# Hostile titles and links, as far as the loader lets them in (it refuses
# control characters and links other than http, https and mailto; the
# writer's own defences against those are in test_writers.c).
cat >"$tmp/hostile.yaml" <<'EOF'
title: "Evil <chart> & \"quotes\" ]]> end"
subtitle: "tab\there  two  spaces"
events:
  - id: a
    date: 2014-05-19
    title: "<script>alert('x')</script> & co"
  - id: b
    date: 2014-06
    title: "Link with \"quotes\" and <tags>"
    url: "https://example.com/a?q=\"<x>\"&r=1'é"
  - id: c
    date: 2014-07
    title: "  two  spaces"
    url: "mailto:someone@example.com"
  - id: e
    date: 2014-09
    title: Pneumonoultramicroscopicsilicovolcanoconiosisandthensomemorelettersthatnevererend
EOF
h=$tmp/hostile.svg
"$T" render "$tmp/hostile.yaml" -W 300pt -o "$h" 2>"$tmp/err"; rc=$?
expect "hostile: renders ($(cat "$tmp/err"))" '[ $rc -eq 0 ]'
expect "hostile: well-formed" 'xmllint --noout "$h" 2>/dev/null'
expect "hostile: markup escaped" \
  '! grep -q "<script" "$h" && grep -qF "&lt;script&gt;alert(&apos;x&apos;)" "$h" &&
   grep -qF "Evil &lt;chart&gt; &amp; &quot;quotes&quot; ]]&gt;" "$h"'
expect "hostile: no empty <text>" '! grep -q "\"></t" "$h"'
expect "hostile: one link each, percent-encoded and escaped" \
  '[ "$(grep -c "<a href=" "$h")" = 2 ] &&
   grep -qF "<a href=\"https://example.com/a?q=%22%3Cx%3E%22&amp;r=1%27%C3%A9\">" "$h" &&
   grep -qF "<a href=\"mailto:someone@example.com\">" "$h"'
expect "hostile: spaces kept where they count" \
  'grep -q "xml:space=\"preserve\"[^>]*>tab.here  two  spaces<" "$h" &&
   grep -q "xml:space=\"preserve\"[^>]*>  two  spaces<" "$h"'
# A lane name that cannot break is clipped to its gutter, as in PDF.
tabs=$(printf '\\t%.0s' $(seq 60))
printf 'lanes:\n  - {id: x, label: "a%sb"}\nevents:\n  - {id: a, date: 2014, title: A, lane: x}\n' \
  "$tabs" >"$tmp/gutter.yaml"
"$T" render "$tmp/gutter.yaml" --layout lanes -W 300pt -o "$tmp/gutter.svg" 2>"$tmp/err"
expect "overflowing lane name clipped ($(cat "$tmp/err"))" \
  'grep -q "<text class=\"tl-lane-label\"[^>]* clip-path=\"url(#tl-[0-9a-f]*-c1)\"" "$tmp/gutter.svg" &&
   refs_resolve "$tmp/gutter.svg" && xmllint --noout "$tmp/gutter.svg"'

finish svg
