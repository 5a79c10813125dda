#!/usr/bin/env bash
# A throw-away PostgreSQL cluster for the shared-database tests: Debian's server binaries,
# a cluster in FOLDER listening only on a Unix socket in FOLDER and on 127.0.0.1:PORT.
#   tools/pg_cluster.sh start FOLDER [PORT]   prints the URL the tests take (J3490_TEST_DATABASE_URL)
#   tools/pg_cluster.sh stop FOLDER
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user
# that Debian's package creates.
set -euo pipefail

action=${1:?start or stop}
folder=${2:?a folder for the cluster}
port=${3:-54329}

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -x "$bin/initdb" ] || { echo "PostgreSQL's server is not installed (Debian package: postgresql)" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$action" in
  start)
    mkdir -p "$folder"
    [ "$(id -u)" -ne 0 ] || chown postgres: "$folder"
    # As root the server runs as `postgres`, which must be able to enter every parent folder
    # (a folder inside `mktemp -d` is not: that one is root's, 0700; `mktemp -d` itself is fine).
    as_owner test -w "$folder" -a -x "$folder" ||
      { echo "the postgres user cannot reach $folder: choose a folder whose parents it may enter" >&2; exit 1; }
    if [ ! -f "$folder/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$folder" -U j3490 --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_owner "$bin/pg_ctl" -D "$folder" -l "$folder/server.log" -w \
      -o "-p $port -k $folder -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null ||
      { echo "PostgreSQL did not start; its log, $folder/server.log, ends:" >&2; tail -n 20 "$folder/server.log" >&2; exit 1; }
    echo "postgresql+psycopg://j3490@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$folder" -m fast -w stop >/dev/null
    ;;
  *)
    echo "usage: $0 start|stop FOLDER [PORT]" >&2
    exit 2
    ;;
esac
