#!/usr/bin/env bash
# Takes the README's screenshot of the HTML report: wrong-tenant-reconnect at 1400x900 (the fold a
# reader sees first) in headless Chromium, Debian's `chromium` package (apt-get install -y chromium).
# It also records the SHA-256 of the page it photographed in docs/images/screenshots.txt: a test
# (ScreenshotTests) renders the page again and fails when it no longer matches, so the picture
# is retaken whenever the report changes. Not part of CI: CI needs no browser.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null 2>&1 || { echo "screenshot: chromium is not installed (apt-get install -y chromium)" >&2; exit 1; }
swift build
name=wrong-tenant-reconnect
page=$(mktemp --suffix=.html)
trap 'rm -f "$page"' EXIT
.build/debug/revive-lab run "scenarios/$name.json" --format html > "$page"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1400,900 \
  --screenshot="docs/images/$name.png" "file://$page" >/dev/null 2>&1
digest=$(sha256sum "$page" | cut -d' ' -f1)
printf '%s\n' "# screenshot  sha256 of the page photographed  command that rendered it" \
  "$name.png  $digest  revive-lab run scenarios/$name.json --format html" > docs/images/screenshots.txt
echo "screenshot: docs/images/$name.png ($digest)"
