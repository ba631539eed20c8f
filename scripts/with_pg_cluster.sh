#!/usr/bin/env bash
# with_pg_cluster.sh COMMAND [ARGS...]: runs COMMAND with a throwaway PostgreSQL cluster, whose
# URL is in GOTONG_TEST_POSTGRES_URL; the cluster is removed afterwards, whatever happens.
# CTest runs db_postgres_test through it.
set -euo pipefail
[ $# -ge 1 ] || { echo "usage: $0 COMMAND [ARGS...]" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
dir=$(mktemp -d "${TMPDIR:-/tmp}/gotong-pg.XXXXXX")
trap '"$here/pg_cluster.sh" stop "$dir" 2>/dev/null || rm -rf -- "$dir"' EXIT
GOTONG_TEST_POSTGRES_URL=$("$here/pg_cluster.sh" start "$dir")
export GOTONG_TEST_POSTGRES_URL
status=0
"$@" || status=$?
exit "$status"
