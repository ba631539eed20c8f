#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and measurements.
#
#   scripts/pg_cluster.sh start DIR              initdb in DIR, start it on a free port of 127.0.0.1
#                                                (Unix socket inside DIR) and print its URL
#   scripts/pg_cluster.sh stop DIR               stop it and remove DIR
#   scripts/pg_cluster.sh createdb DIR NAME [TEMPLATE]
#                                                create database NAME (a copy of TEMPLATE, e.g. a
#                                                migrated one, when given) and print its URL
#
# The server refuses to run as root, so as root every server command runs as the `postgres`
# user (DIR is handed to it); as anyone else they run as that user. The superuser of the cluster
# is always called `postgres` and local connections are trusted: never use this for real data.
# PG_BINDIR overrides where initdb/pg_ctl/psql are looked for.
set -euo pipefail

die() { echo "pg_cluster.sh: $*" >&2; exit 1; }
usage() { die "usage: $0 start DIR | stop DIR | createdb DIR NAME [TEMPLATE]"; }

find_bindir() {
  if [ -n "${PG_BINDIR:-}" ]; then
    [ -x "$PG_BINDIR/initdb" ] || die "PG_BINDIR=$PG_BINDIR has no initdb"
    echo "$PG_BINDIR"; return
  fi
  # Debian keeps the server binaries out of PATH, one directory per major version: take the newest.
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && { echo "$d"; return; }
  done
  if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
    dirname "$(command -v initdb)"; return
  fi
  die "the PostgreSQL server binaries (initdb, pg_ctl) are missing: install the Debian package 'postgresql' (see scripts/packages.sh) or set PG_BINDIR"
}

# as_owner CMD...: runs CMD as the cluster's owner (postgres when we are root).
as_owner() {
  if [ "$(id -u)" -ne 0 ]; then
    "$@"
  elif command -v runuser >/dev/null; then
    runuser -u postgres -- "$@"
  else
    setpriv --reuid=postgres --regid=postgres --init-groups -- "$@"
  fi
}

# A port nothing listens on; the start loop still retries if someone takes it meanwhile.
pick_port() {
  local port
  for _ in $(seq 50); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return; fi
  done
  die "found no free port"
}

cmd_start() {
  local dir=$1 bindir port
  bindir=$(find_bindir)
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || die "running as root needs the 'postgres' user (created by the Debian package 'postgresql')"
  fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  [ -z "$(ls -A "$dir")" ] || die "$dir is not empty"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  chmod 700 "$dir"
  # The Unix socket path must fit in 107 bytes.
  [ ${#dir} -lt 80 ] || die "$dir is too long a path for the server's Unix socket"

  # --no-sync: nothing is lost if a throwaway cluster's files are not flushed at creation; the
  # server itself still runs with fsync on, so commits are as durable as in production.
  if ! (cd "$dir" && as_owner "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C.UTF-8 --no-sync \
        -A trust >"$dir/initdb.log" 2>&1); then
    cat "$dir/initdb.log" >&2
    die "initdb failed in $dir (is $dir reachable by the postgres user?)"
  fi
  cat >>"$dir/data/postgresql.conf" <<EOF

# Added by scripts/pg_cluster.sh: a throwaway test cluster.
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
max_connections = 200
EOF
  for _ in $(seq 10); do
    port=$(pick_port)
    if (cd "$dir" && as_owner "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 \
          -o "-p $port" >/dev/null 2>&1); then
      echo "$port" >"$dir/port"
      echo "postgresql://postgres@127.0.0.1:$port/postgres"
      return
    fi
    # Only a port taken between the check and the start is worth another try.
    grep -q "could not bind\|Address already in use" "$dir/server.log" 2>/dev/null || break
    : >"$dir/server.log"
  done
  cat "$dir/server.log" >&2 2>/dev/null || true
  die "the server did not start (log above)"
}

cluster_dir() {  # checks that DIR is a cluster made by this script
  local dir=$1
  [ -f "$dir/port" ] && [ -f "$dir/data/PG_VERSION" ] || die "$dir is not a cluster started by pg_cluster.sh"
}

cmd_stop() {
  local dir=$1 bindir
  cluster_dir "$dir"
  bindir=$(find_bindir)
  (cd "$dir" && as_owner "$bindir/pg_ctl" stop -D "$dir/data" -m immediate -w >/dev/null 2>&1) || true
  rm -rf -- "$dir"
}

cmd_createdb() {
  local dir=$1 name=$2 template=${3:-} bindir port sql
  cluster_dir "$dir"
  [[ $name =~ ^[A-Za-z0-9_]+$ ]] || die "database name '$name': use letters, digits and _"
  [[ -z $template || $template =~ ^[A-Za-z0-9_]+$ ]] || die "template name '$template': use letters, digits and _"
  bindir=$(find_bindir)
  port=$(cat "$dir/port")
  sql="CREATE DATABASE \"$name\""
  # A copy of a migrated template (regions loaded, 48 MB) takes about 0.2 s with the default
  # WAL_LOG strategy; STRATEGY FILE_COPY was slower here (1.4-2.8 s: it forces two checkpoints).
  # The template must have no open connections.
  if [ -n "$template" ]; then sql+=" TEMPLATE \"$template\""; fi
  (cd "$dir" && as_owner "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres \
      -d postgres -c "$sql" >/dev/null) || die "could not create database $name"
  echo "postgresql://postgres@127.0.0.1:$port/$name"
}

[ $# -ge 2 ] || usage
case $1 in
  start) [ $# -eq 2 ] || usage; cmd_start "$2" ;;
  stop) [ $# -eq 2 ] || usage; cmd_stop "$2" ;;
  createdb) [ $# -ge 3 ] && [ $# -le 4 ] || usage; cmd_createdb "$2" "$3" "${4:-}" ;;
  *) usage ;;
esac
