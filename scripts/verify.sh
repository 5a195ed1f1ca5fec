#!/usr/bin/env bash
# The one test command: installs what the tests need beyond Maven (headless Chromium and its
# driver, PostgreSQL, from Debian's packages) when missing, then runs the whole suite with `mvn verify`.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "verify: installing chromium and chromium-driver from Debian's packages" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "verify: installing postgresql from Debian's packages (the PostgreSQL test suite)" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

exec mvn -B -ntp verify "$@"
