#!/usr/bin/env bash
# The whole test suite: unit tests (Surefire) and integration tests (Failsafe, *IT), including
# the crash-safety test that launches the fat jar and the tests against a real PostgreSQL and a
# real RabbitMQ, the live page's test in a real headless Chromium, and a foreign Node.js client.
# Starts, or installs, what the tests need first.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
source scripts/browser.sh

# Java 17+ and Maven build it; the embedded store (SQLite) comes from Maven Central.
if ! command -v java >/dev/null 2>&1 || ! command -v mvn >/dev/null 2>&1; then
  echo "test.sh: installing a JDK and Maven from Debian's packages" >&2
  apt_install openjdk-17-jdk-headless maven
fi
# Node.js and npm run a foreign client of ours (ForeignNodeConsumerIT: amqplib, from the npm registry)
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: installing Node.js and npm from Debian's packages" >&2
  apt_install nodejs npm
fi
ensure_postgres
ensure_rabbitmq
ensure_chromium

# Two modules at a time (-T 2): most tests wait on brokers, processes and timeouts more than they
# compute. Modules that build side by side share no server they take down: only the RabbitMQ
# transport's tests and the app's stop RabbitMQ, only the app's crash PostgreSQL, and the app builds
# last, alone (its own tests run two JVMs at a time; see app/pom.xml).
exec mvn -B -T 2 verify "$@"
