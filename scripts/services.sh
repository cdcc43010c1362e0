#!/usr/bin/env bash
# Brings up the services the integration tests talk to, on this machine: started when installed
# but stopped, installed from Debian's packages when missing. Sourced by scripts/test.sh.

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  if [ -z "${SWITCHBOARD_APT_UPDATED:-}" ]; then
    as_root apt-get update -qq
    SWITCHBOARD_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

wait_for_port() { # host port seconds
  local deadline=$((SECONDS + $3))
  until (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      echo "services: nothing answers on $1:$2 after $3 s" >&2
      return 1
    fi
    sleep 0.5
  done
}

# PostgreSQL on 127.0.0.1:5432; the tests connect as postgres without a password (trust on loopback).
ensure_postgres() {
  if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "services: installing PostgreSQL from Debian's packages" >&2
    apt_install postgresql postgresql-client
  fi
  local version
  version=$(ls /etc/postgresql | sort -V | tail -n 1)
  local hba="/etc/postgresql/$version/main/pg_hba.conf"
  if ! grep -Eq '^host\s+all\s+all\s+127\.0\.0\.1/32\s+trust' "$hba"; then
    # a fresh install asks loopback clients for a password: the test databases trust loopback only
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main reload 2>/dev/null || true
  fi
  if ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
    echo "services: starting PostgreSQL $version" >&2
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start
  fi
  wait_for_port 127.0.0.1 5432 60
  if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
    psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE test"
  fi
}

# RabbitMQ on 127.0.0.1:5672; the tests connect as guest/guest (allowed from loopback) and give
# each test class a virtual host of its own with rabbitmqctl, which needs the node's Erlang cookie
# (run as root). A test that restarts the broker stops only its application (stop_app): if such a
# run was cut short, the node is up with its application down, and start_app brings it back.
ensure_rabbitmq() {
  if ! command -v rabbitmq-server >/dev/null 2>&1; then
    echo "services: installing RabbitMQ from Debian's packages" >&2
    apt_install rabbitmq-server
  fi
  if ! (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; then
    if as_root rabbitmqctl -q ping >/dev/null 2>&1; then
      echo "services: starting the RabbitMQ application" >&2
      as_root rabbitmqctl -q start_app
    else
      echo "services: starting RabbitMQ" >&2
      as_root rabbitmq-server -detached
    fi
  fi
  wait_for_port 127.0.0.1 5672 120
  as_root rabbitmqctl -q await_startup
}
