#!/usr/bin/env bash
# `npm run test:indexer:postgres`: the indexer test (test/indexer/dashboard.indexer.ts) on PostgreSQL instead of
# PGlite. Starts a throw-away PostgreSQL 15 cluster on a free loopback port as the `postgres` user (initdb +
# pg_ctl; set PG_BIN if they are not on PATH), points DATABASE_URL at it, runs the test, stops the cluster.
set -euo pipefail
cd "$(dirname "$0")/.."
PG_BIN="${PG_BIN:-$(dirname "$(command -v pg_ctl || echo /usr/lib/postgresql/15/bin/pg_ctl)")}"
PORT="$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
DIR="$(mktemp -d /tmp/tradefin-pg-XXXXXX)"
chown postgres "$DIR"
as_pg() { if [ "$(id -un)" = postgres ]; then bash -c "$1"; else su postgres -c "$1"; fi; }
cleanup() { as_pg "$PG_BIN/pg_ctl -D $DIR/data -m fast stop" >/dev/null 2>&1 || true; rm -rf "$DIR"; }
trap cleanup EXIT
as_pg "$PG_BIN/initdb -D $DIR/data -U postgres --auth=trust" >/dev/null
as_pg "$PG_BIN/pg_ctl -D $DIR/data -o '-c listen_addresses=127.0.0.1 -p $PORT -k $DIR' -l $DIR/log -w start" >/dev/null
echo "PostgreSQL on 127.0.0.1:$PORT ($DIR)"
TRADEFIN_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PORT/postgres" npx hardhat test test/indexer/dashboard.indexer.ts
