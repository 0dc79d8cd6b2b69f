#!/usr/bin/env bash
# Installs the build into a scratch prefix and uses it as a stranger would:
# the command and its manual page, a program compiled against timeline.pc,
# CMake projects that call find_package(timeline) for the shared and the
# static library, and the examples built with their own CMakeLists.txt.
set -u
T=${TIMELINE:?}; cd "${SRCDIR:?}"
build=${BUILDDIR:?}
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0; fail=0
ok() { pass=$((pass+1)); }
bad() { fail=$((fail+1)); echo "FAIL: $*" >&2; }
prefix=$tmp/prefix

if cmake --install "$build" --prefix "$prefix" >"$tmp/install.log" 2>&1; then ok; else
  bad "cmake --install"; cat "$tmp/install.log" >&2
  echo "install: $pass passed, $fail failed"; exit 1
fi

# What lands where (libdir is lib or lib/<multiarch>, by GNUInstallDirs).
libdir=$(dirname "$(find "$prefix" -name 'libtimeline.so' | head -1)")
for f in "$prefix/bin/timeline" "$prefix/include/timeline.h" "$libdir/libtimeline.so.0" \
         "$libdir/libtimeline.a" "$libdir/pkgconfig/timeline.pc" \
         "$libdir/cmake/timeline/timelineConfig.cmake" "$prefix/share/man/man1/timeline.1"; do
  if [ -e "$f" ]; then ok; else bad "not installed: ${f#"$prefix"/}"; fi
done

# The installed command runs and renders.
if "$prefix/bin/timeline" render data/events.yaml -o "$tmp/a.svg" 2>"$tmp/err" &&
   grep -q "<svg" "$tmp/a.svg"; then ok; else bad "installed timeline render"; cat "$tmp/err" >&2; fi

# The manual page is well-formed roff (when groff is present).
if command -v groff >/dev/null; then
  if groff -man -Tutf8 -ww "$prefix/share/man/man1/timeline.1" 2>"$tmp/err" >"$tmp/man.txt" &&
     [ ! -s "$tmp/err" ] && grep -q "timeline check" "$tmp/man.txt"; then ok
  else bad "man page: $(head -3 "$tmp/err")"; fi
fi

# pkg-config: compile the embedding example against the installed library.
export PKG_CONFIG_PATH=$libdir/pkgconfig
if [ "$(pkg-config --modversion timeline)" = "$("$T" --version | awk '{ print $2 }')" ]; then ok
else bad "pkg-config version $(pkg-config --modversion timeline)"; fi
# shellcheck disable=SC2046
if cc -std=c11 -Wall -Wextra -Werror examples/report.c -o "$tmp/report" \
      $(pkg-config --cflags --libs timeline pangocairo) 2>"$tmp/err"; then ok
else bad "cc report.c with pkg-config"; cat "$tmp/err" >&2; fi
if LD_LIBRARY_PATH=$libdir "$tmp/report" data/events.yaml "$tmp/report.pdf" 2>"$tmp/err"; then ok
else bad "report run"; cat "$tmp/err" >&2; fi
# It linked the installed library, not the build tree's.
if LD_LIBRARY_PATH=$libdir ldd "$tmp/report" | grep -q "$libdir/libtimeline.so.0"; then ok
else bad "report does not use the installed library"; fi
if command -v pdfinfo >/dev/null && [ -s "$tmp/report.pdf" ]; then
  pages=$(pdfinfo "$tmp/report.pdf" | awk '/^Pages:/ { print $2 }')
  # The chart, then the list over two pages of its box.
  if [ "$pages" = 3 ]; then ok; else bad "report has $pages pages, want 3"; fi
  text=$(pdftotext "$tmp/report.pdf" - | tr -s ' \n' ' ')
  for want in "Timeline report" "All events" "U.S. indicts five PLA officers" "24 events" \
              "2015 (continued)" "NBR publishes James Lewis interview"; do
    case $text in *"$want"*) ok ;; *) bad "report.pdf lacks '$want'" ;; esac
  done
fi

# CMake: find_package(timeline) and the timeline::timeline target.
mkdir -p "$tmp/consumer"
cat >"$tmp/consumer/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.20)
project(consumer C)
find_package(timeline 0.1 REQUIRED)
add_executable(consumer main.c)
target_link_libraries(consumer PRIVATE timeline::timeline)
EOF
cat >"$tmp/consumer/main.c" <<'EOF'
#include <timeline.h>
#include <stdio.h>
int main(int argc, char **argv)
{
    tl_diag *diag = tl_diag_new();
    tl_doc *doc = NULL;
    if (argc < 2 || tl_doc_load_file(argv[1], &doc, diag) != TL_OK) {
        tl_diag_print(diag, stderr);
        return 1;
    }
    printf("%s %zu\n", tl_version(), tl_doc_event_count(doc));
    tl_doc_free(doc);
    tl_diag_free(diag);
    return 0;
}
EOF
if cmake -S "$tmp/consumer" -B "$tmp/consumer/build" -DCMAKE_PREFIX_PATH="$prefix" \
     >"$tmp/cm.log" 2>&1 && cmake --build "$tmp/consumer/build" >>"$tmp/cm.log" 2>&1; then ok
else bad "find_package consumer"; tail -20 "$tmp/cm.log" >&2; fi
out=$(LD_LIBRARY_PATH=$libdir "$tmp/consumer/build/consumer" data/events.yaml 2>&1)
if [ "$out" = "$("$T" --version | awk '{ print $2 }') 24" ]; then ok; else bad "consumer printed '$out'"; fi

# The same program against the static library: timeline::timeline_static
# brings Pango, Cairo, libyaml and fontconfig along, and no libtimeline.so.
sed -i 's/timeline::timeline)$/timeline::timeline_static)/' "$tmp/consumer/CMakeLists.txt"
if cmake -S "$tmp/consumer" -B "$tmp/consumer/static" -DCMAKE_PREFIX_PATH="$prefix" \
     >"$tmp/cm.log" 2>&1 && cmake --build "$tmp/consumer/static" >>"$tmp/cm.log" 2>&1; then ok
else bad "find_package consumer of timeline::timeline_static"; tail -20 "$tmp/cm.log" >&2; fi
out=$("$tmp/consumer/static/consumer" data/events.yaml 2>&1)
if [ "$out" = "$("$T" --version | awk '{ print $2 }') 24" ]; then ok; else bad "static consumer printed '$out'"; fi
if ! ldd "$tmp/consumer/static/consumer" | grep -q libtimeline; then ok
else bad "static consumer links libtimeline.so"; fi

# The examples, with their own CMakeLists.txt, against the installed prefix.
if cmake -S examples -B "$tmp/examples" -DCMAKE_PREFIX_PATH="$prefix" >"$tmp/ex.log" 2>&1 &&
   cmake --build "$tmp/examples" >>"$tmp/ex.log" 2>&1; then ok
else bad "examples against the installed library"; tail -20 "$tmp/ex.log" >&2; fi
ex=$tmp/examples
if LD_LIBRARY_PATH=$libdir "$ex/report" data/events.yaml "$tmp/ex-report.pdf" 2>"$tmp/err" &&
   [ -s "$tmp/ex-report.pdf" ]; then ok; else bad "examples: report"; cat "$tmp/err" >&2; fi
if LD_LIBRARY_PATH=$libdir "$ex/web_page" data/events.yaml "$tmp/page.html" 2>"$tmp/err"; then ok
else bad "examples: web_page"; cat "$tmp/err" >&2; fi
# Two inline charts, each with ids of its own, and words to find.
if [ "$(grep -c '<svg xmlns' "$tmp/page.html")" = 2 ] && ! grep -q '<?xml' "$tmp/page.html" &&
   grep -q 'aria-labelledby="axis-title axis-desc"' "$tmp/page.html" &&
   grep -q 'aria-labelledby="lanes-title lanes-desc"' "$tmp/page.html" &&
   [ -z "$(grep -o ' id="[^"]*"' "$tmp/page.html" | sort | uniq -d)" ] &&
   [ "$(grep -c '">U.S. indicts five PLA' "$tmp/page.html")" = 2 ]; then ok
else bad "examples: page.html lacks two distinct inline charts"; fi
# A document built in code: its events read back, a wrong date reported at
# its place ("event 4, date"), the chart written.
if out=$(cd "$tmp" && LD_LIBRARY_PATH=$libdir "$ex/build_in_code" built.svg 2>"$tmp/err") &&
   [ "$(printf '%s\n' "$out" | wc -l)" = 4 ] &&
   printf '%s\n' "$out" | grep -q '^launch  *2024-02-29  *29 Feb 2024  *Launch$' &&
   grep -q "^event 4, date: error: invalid date '2024-02-30'" "$tmp/err" &&
   [ "$(grep -c "<g id=" "$tmp/built.svg")" = 4 ] && grep -q '>Pilot in two towns<' "$tmp/built.svg"
then ok; else bad "examples: build_in_code printed '$out' / '$(cat "$tmp/err")'"; fi

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
