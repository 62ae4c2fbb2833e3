#!/usr/bin/env bash
# Makes sure a Chromium (or Chrome) is there for the headless browser tests (test/*.browser.test.ts).
# The tests use, in this order: $CHROMIUM_PATH, then the first of the usual places that holds one
# (test/support/chromium.ts has the same list). Only when none is found, and only as root with apt-get,
# is Debian's `chromium` package installed. Never fails itself: without a browser the browser tests
# fail when CI is set and are skipped elsewhere, so this only warns.
set -u

if [ -n "${CHROMIUM_PATH:-}" ]; then
  if [ -x "$CHROMIUM_PATH" ]; then
    exit 0
  fi
  echo "ensure-chromium: WARNING: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file; the browser tests will fail in CI and be skipped elsewhere." >&2
  exit 0
fi

CANDIDATES=(/usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable /snap/bin/chromium /Applications/Chromium.app/Contents/MacOS/Chromium "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome")
for c in "${CANDIDATES[@]}"; do
  if [ -x "$c" ]; then
    exit 0
  fi
done

if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "ensure-chromium: no Chromium or Chrome found (set CHROMIUM_PATH to use one elsewhere); installing Debian's 'chromium' package with apt-get..."
  if apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; then
    if [ -x /usr/bin/chromium ]; then
      exit 0
    fi
    echo "ensure-chromium: WARNING: apt-get finished but /usr/bin/chromium is still missing; the browser tests will fail in CI and be skipped elsewhere." >&2
  else
    echo "ensure-chromium: WARNING: apt-get install chromium failed; the browser tests will fail in CI and be skipped elsewhere." >&2
  fi
  exit 0
fi

echo "ensure-chromium: WARNING: no Chromium or Chrome found (looked at CHROMIUM_PATH and ${CANDIDATES[*]}), and cannot install one (needs root and apt-get). Install one, or set CHROMIUM_PATH; the browser tests will fail in CI and be skipped elsewhere." >&2
exit 0
