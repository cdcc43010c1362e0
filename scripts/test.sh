#!/usr/bin/env bash
# The whole test suite: unit tests (Surefire) and integration tests (Failsafe, *IT), including
# the crash-safety test that launches the fat jar. Starts or installs what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."

need() { command -v "$1" >/dev/null 2>&1; }

# Java 17+ and Maven are what the build needs; the embedded store (SQLite) comes from Maven Central.
if ! need java || ! need mvn; then
  echo "test.sh: installing a JDK and Maven from Debian's packages" >&2
  apt-get update -qq && apt-get install -y -qq openjdk-17-jdk-headless maven >/dev/null
fi

exec mvn -B verify "$@"
