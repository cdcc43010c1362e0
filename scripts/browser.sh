#!/usr/bin/env bash
# The browser the live page's test drives (LivePageIT): Debian's Chromium and its ChromeDriver, at
# /usr/bin/chromium and /usr/bin/chromedriver, installed from Debian's packages when missing.
# Sourced by scripts/test.sh, which calls ensure_chromium.

# apt_install (and as_root) come from services.sh; take them from there when sourced on our own
if ! declare -F apt_install >/dev/null; then
  source "$(dirname "${BASH_SOURCE[0]}")/services.sh"
fi

ensure_chromium() {
  if [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/chromedriver ]; then
    echo "browser: installing Chromium and its ChromeDriver from Debian's packages" >&2
    apt_install chromium chromium-driver
  fi
}
