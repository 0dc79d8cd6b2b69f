#!/usr/bin/env bash
# What the writers emit, checked by the tools a reader uses: qpdf on PDFs
# with links, a CommonMark parser (cmark-gfm) on Markdown from hostile
# text.  Needs qpdf, poppler-utils, libxml2-utils and cmark-gfm.
set -u
. "$(dirname "$0")/lib.sh"

# The dataset with a link on every event (URLs with quotes, parentheses
# and an escape), in every layout; the list layout on A4 runs to pages.
awk '{ print } /^    title: /{ print "    url: \"https://example.org/e?q=(1)&x=%27y%27\"" }' \
  data/events.yaml >"$tmp/linked.yaml"
for layout in axis lanes list; do
  "$T" render "$tmp/linked.yaml" --layout "$layout" --page a4 -o "$tmp/$layout.pdf" 2>/dev/null
  expect "$layout with links renders" '[ $? -eq 0 ]'
  qpdf --check "$tmp/$layout.pdf" >"$tmp/qpdf.txt" 2>&1; rc=$?
  expect "$layout pdf with links passes qpdf --check ($(grep -m1 -i warn "$tmp/qpdf.txt"))" \
    '[ $rc -eq 0 ] && ! grep -qi "warning\|damaged" "$tmp/qpdf.txt"'
  expect "$layout pdf has no JavaScript" '[ -z "$(pdfinfo -js "$tmp/$layout.pdf" | sed -n "/^Link\|^Page\|JS\|alert/p")" ]'
done
pages=$(pdfinfo "$tmp/list.pdf" | awk '/^Pages:/ { print $2 }')
expect "the list layout has more than one page ($pages)" '[ "$pages" -gt 1 ]'
# One link annotation for each of the 24 events, the URL encoded.
uris=$(qpdf --qdf --object-streams=disable "$tmp/list.pdf" - | grep -ac '/URI (https://example.org/e?q=%281%29&x=%27y%27)')
expect "list pdf has 24 encoded links ($uris)" '[ "$uris" -eq 24 ]'
# Without links the PDF was whole already; it stays so.
"$T" render data/events.yaml -o "$tmp/plain.pdf" 2>/dev/null
expect "pdf without links passes qpdf --check" 'qpdf --check "$tmp/plain.pdf" >/dev/null 2>&1'
# One link, on one page of two: a page with links and a page without.
awk '{ print } /^    title: / && ++n == 24 { print "    url: \"https://example.org/last\"" }' \
  data/events.yaml >"$tmp/onelink.yaml"
"$T" render "$tmp/onelink.yaml" --layout list --page a4 -o "$tmp/one.pdf" 2>/dev/null
expect "one link on one of two pages passes qpdf --check" \
  '[ "$(pdfinfo "$tmp/one.pdf" | awk "/^Pages:/ { print \$2 }")" -eq 2 ] && qpdf --check "$tmp/one.pdf" >/dev/null 2>&1 && [ "$(qpdf --qdf "$tmp/one.pdf" - | grep -ac "/URI (https://example.org/last)")" -eq 1 ]'
# The text is still there to find.
expect "linked pdf text is searchable" 'pdftotext "$tmp/axis.pdf" - | grep -q "U.S. indicts five"'

# Markdown from text that looks like markup: a CommonMark parser with
# GitHub's tables must give back the text, with no element of its own.
cat >"$tmp/md.yaml" <<'EOF'
title: "# Not a heading <!-- hides the rest"
subtitle: "> not a quote <img src=x onerror=alert(1)> **b** _e_ `c` [l](https://x.org) a\\|b &amp; ~~s~~"
lanes:
  - id: l1
    label: "- not a list | pipe"
sources:
  - id: s1
    title: "Doc ) ( [x]"
    author: "1. Author"
    url: "https://example.org/a(b)?c='d'"
  - id: s2
    title: "No link"
events:
  - id: a
    date: 2014-05
    title: "<script>alert(1)</script> *x* a\\|b | c"
    lane: l1
    sources: [s1]
  - id: b
    date: 2015
    title: "2015. not a list"
    sources: [s2]
EOF
"$T" render "$tmp/md.yaml" -o "$tmp/md.md" 2>"$tmp/err"
expect "hostile markdown renders ($(cat "$tmp/err"))" '[ $? -eq 0 ]'
cmark-gfm -e table "$tmp/md.md" >"$tmp/md.html"
expect "one heading, the title as text" \
  'grep -qxF "<h1># Not a heading &lt;!-- hides the rest</h1>" "$tmp/md.html"'
expect "subtitle is one paragraph of text" \
  'grep -qxF "<p>&gt; not a quote &lt;img src=x onerror=alert(1)&gt; **b** _e_ \`c\` [l](https://x.org) a\|b &amp;amp; ~~s~~</p>" "$tmp/md.html"'
expect "event title is one cell, a\\|b kept" \
  'grep -qxF "<td>&lt;script&gt;alert(1)&lt;/script&gt; *x* a\|b | c</td>" "$tmp/md.html"'
expect "lane is one cell" 'grep -qxF "<td>- not a list | pipe</td>" "$tmp/md.html"'
expect "a number at a line start is no list" 'grep -qxF "<td>2015. not a list</td>" "$tmp/md.html"'
expect "two events, four cells each" \
  '[ "$(grep -c "^<tr>" "$tmp/md.html")" -eq 3 ] && [ "$(grep -c "^<td>" "$tmp/md.html")" -eq 8 ]'
expect "the source list has two items, the link encoded" \
  'grep -qxF "<li>1. Author, “Doc ) ( [x]”, <a href=\"https://example.org/a%28b%29?c=%27d%27\">https://example.org/a%28b%29?c=%27d%27</a>.</li>" "$tmp/md.html" && grep -qxF "<li>“No link”.</li>" "$tmp/md.html"'
expect "no element the text did not ask for" \
  '[ -z "$(grep -Eo "<[a-z0-9]+" "$tmp/md.html" | sort -u | grep -vxE "<(h1|p|table|thead|tbody|tr|th|td|ol|li|a)")" ]'

# Text in a script no installed font covers: one warning per script,
# naming the text and the package to install; none when a font exists.
cat >"$tmp/ko.yaml" <<'EOF'
title: "한국 사이버 협력 2001–2015"
events:
  - {id: a, date: 2014-05, title: "한미 사이버 정책 대화"}
  - {id: b, date: 2015-01, title: "Plain Latin label"}
EOF
"$T" render "$tmp/ko.yaml" -o "$tmp/ko.pdf" 2>"$tmp/ko.err"; rc=$?
expect "a Korean chart renders" '[ $rc -eq 0 ]'
if [ -z "$(fc-list :lang=ko)" ]; then
  expect "no Korean font: one warning naming the text and fonts-noto-cjk ($(cat "$tmp/ko.err"))" \
    '[ "$(grep -c "Hangul" "$tmp/ko.err")" -eq 1 ] && grep -qF "warning: no installed font has Korean (Hangul) letters, as in \"한국 사이버 협력 2001–2015\" — they are drawn as boxes; install fonts-noto-cjk" "$tmp/ko.err"'
else
  expect "a Korean font is installed: no warning ($(cat "$tmp/ko.err"))" '[ ! -s "$tmp/ko.err" ]'
fi
"$T" render data/events.yaml -o "$tmp/quiet.pdf" 2>"$tmp/quiet.err"
expect "the dataset needs no missing font" '[ ! -s "$tmp/quiet.err" ]'
# In a fixed box the key is sized with a sample of several scripts: only
# the chart's own words may give a font warning.
"$T" render data/events.yaml --page slide-16x9 -o "$tmp/quiet.pdf" 2>"$tmp/quiet.err"
expect "a key's sizing asks for no font ($(cat "$tmp/quiet.err"))" '! grep -q "font" "$tmp/quiet.err"'

# Ordinary accented, Greek, Arabic and Hebrew text is drawn whole: cairo
# writes a clip path only where a clip cuts ink (test_writers shows a
# stack of 140 accents cut).
cat >"$tmp/accents.yaml" <<'EOF'
title: "Ấn Độ — ǺÉÎ"
events:
  - {id: a, date: 2014-05, title: "Việt Nam Quảng Ngãi ỨỪỬỮỰ"}
  - {id: b, date: 2015, title: "Ελληνικά — مرحبا — שָׁלוֹם"}
EOF
"$T" render "$tmp/accents.yaml" -o "$tmp/accents.svg" 2>/dev/null
expect "accented text is not clipped" \
  '[ -s "$tmp/accents.svg" ] && ! grep -q "<clipPath" "$tmp/accents.svg"'

finish writers
