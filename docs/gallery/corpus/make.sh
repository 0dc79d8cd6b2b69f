#!/usr/bin/env bash
# Renders every dataset of the layout corpus (tests/data/corpus/) in the
# axis and lanes layouts at the four sizes the quality measure uses:
# natural, A4, a 16:9 slide and an 85 mm column, as PNG at --scale 1.
# Usage: docs/gallery/corpus/make.sh [TIMELINE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
T=${1:-$root/build/timeline}
sizes=("natural:" "a4:--page a4" "slide-16x9:--page slide-16x9" "85mm:--width 85mm")
for data in "$root"/tests/data/corpus/*.yaml; do
  name=$(basename "$data" .yaml)
  for layout in axis lanes; do
    for s in "${sizes[@]}"; do
      size=${s%%:*}
      read -r -a opts <<< "${s#*:}"
      # Warnings (events without a label) are what the gallery shows:
      # printed only when the render fails.
      if ! err=$("$T" render "$data" --layout "$layout" "${opts[@]}" --scale 1 \
                   -o "$here/$name-$layout-$size.png" 2>&1); then
        echo "$err" >&2
        exit 1
      fi
    done
  done
done
echo "corpus gallery written to $here"
