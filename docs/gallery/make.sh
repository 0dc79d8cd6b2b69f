#!/usr/bin/env bash
# Renders the dataset in every layout and theme, as PNG (and each layout as
# SVG), plus the
# report-column and slide sizes and the Markdown table.
# Usage: docs/gallery/make.sh [TIMELINE]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
T=${1:-$root/build/timeline}
data=$root/data/events.yaml
for layout in axis lanes list; do
  for theme in light dark print; do
    "$T" render "$data" --layout "$layout" --theme "$theme" -o "$here/$layout-$theme.png"
  done
  "$T" render "$data" --layout "$layout" -o "$here/$layout-light.svg"
done
"$T" render "$data" --width 85mm --scale 2 -o "$here/column-85mm.png"
"$T" render "$data" --page slide-16x9 --theme dark -o "$here/slide-16x9.png"
"$T" render "$data" -o "$here/events.md"
# Times of day and deep time.
"$T" render "$root/tests/data/corpus/timed-apollo11-landing.yaml" -o "$here/timed-apollo11.png"
"$T" render "$root/tests/data/corpus/deep-time.yaml" -o "$here/deep-time.png"
echo "gallery written to $here"
