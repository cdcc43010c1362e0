#!/usr/bin/env bash
# Runs the benchmarks on this machine and prints a table; results also go to bench/results/<time>.json.
#
#   bench/run.sh                      every scenario that can run here
#   bench/run.sh embedded-local jmh   only these (see bench/README.md for the list)
#
# Builds the project first (tests skipped), starts the local PostgreSQL and RabbitMQ if they are
# installed but down; the Kafka scenarios start a broker process of their own (KRaft, from the jars).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/services.sh
ensure_postgres
ensure_rabbitmq
mvn -B -q install -DskipTests
mvn -B -q -f bench/pom.xml package dependency:build-classpath -Dmdep.outputFile=target/classpath.txt
exec java -Xms1g -Xmx2g -XX:+UseG1GC \
  -cp "bench/target/classes:$(cat bench/target/classpath.txt)" \
  -Dlogback.configurationFile=bench/logback-bench.xml -Dbasedir=bench \
  dev.switchboard.bench.Bench "$@"
