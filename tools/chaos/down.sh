#!/bin/sh
# Stops everything up.sh started (by the pids it wrote) and leaves the logs in $CHAOS_DIR.
. "$(dirname "$0")/env.sh"
[ -f "$CHAOS_DIR/nginx.pid" ] && kill "$(cat "$CHAOS_DIR/nginx.pid")" 2>/dev/null
for n in 1 2; do [ -f "$CHAOS_DIR/node$n.pid" ] && kill -CONT "$(cat "$CHAOS_DIR/node$n.pid")" 2>/dev/null; \
    [ -f "$CHAOS_DIR/node$n.pid" ] && kill "$(cat "$CHAOS_DIR/node$n.pid")" 2>/dev/null; done
[ -f "$CHAOS_DIR/redis.pid" ] && kill "$(cat "$CHAOS_DIR/redis.pid")" 2>/dev/null
for pg in pg1 pg2; do [ -f "$CHAOS_DIR/$pg/postmaster.pid" ] && as_postgres "$PG_BIN/pg_ctl" -D "$CHAOS_DIR/$pg" -m fast stop >/dev/null 2>&1; done
exit 0
