#!/usr/bin/env bash
# Render built doc pages to PNG with headless Chromium, to look at them the
# way a reader would. Needs Debian's chromium package (apt-get install chromium).
#
#   bash docs/render_pages.sh [out_dir] [page.html ...]
#
# Pages are paths under docs/_build/html; by default a handful of typical ones.
set -euo pipefail
cd "$(dirname "$0")"
out=${1:-_build/screenshots}
shift || true
pages=("$@")
if [ ${#pages[@]} -eq 0 ]; then
  pages=(index.html user_guide.html api.html generated/skattention.AttentionTokenClassifier.html
         generated/skattention.plotting.AttentionDisplay.html auto_examples/index.html
         auto_examples/plot_pos_tagging.html auto_examples/plot_g2p_alignment.html benchmarks.html data.html)
fi
mkdir -p "$out"
profile=$(mktemp -d)
for page in "${pages[@]}"; do
  png="$out/$(echo "$page" | tr '/' '_' | sed 's/\.html$//').png"
  # no network here: keep Chromium from reaching out (it would be refused anyway)
  chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --hide-scrollbars --window-size=1400,3000 \
    --screenshot="$png" "file://$PWD/_build/html/$page" 2>/dev/null
  echo "$png"
done
rm -rf "$profile"
