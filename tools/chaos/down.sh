#!/bin/sh
# Stops everything up.sh started and leaves the logs in $CHAOS_DIR. Always ends with the chaos
# ports free: processes by the pids they wrote (TERM, then KILL after 20 s), PostgreSQL by pg_ctl
# (then its postmaster pid), and finally whatever still listens on one of the chaos ports (a node
# restarted by a fault script whose pid file was overwritten, an orphan of an interrupted run).
. "$(dirname "$0")/env.sh"
stop_pid() {
    pid=$1
    [ -n "$pid" ] || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill -CONT "$pid" 2>/dev/null   # a node frozen by pause-node2.sh cannot act on TERM
    kill -TERM "$pid" 2>/dev/null
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null
}
[ -d "$CHAOS_DIR" ] || exit 0
[ -f "$CHAOS_DIR/nginx.pid" ] && stop_pid "$(cat "$CHAOS_DIR/nginx.pid")"
for n in 1 2; do [ -f "$CHAOS_DIR/node$n.pid" ] && stop_pid "$(cat "$CHAOS_DIR/node$n.pid")"; done
[ -f "$CHAOS_DIR/redis.pid" ] && stop_pid "$(cat "$CHAOS_DIR/redis.pid")"
for pg in pg1 pg2; do
    if [ -f "$CHAOS_DIR/$pg/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$CHAOS_DIR/$pg" -m fast -t 30 stop >/dev/null 2>&1 \
            || stop_pid "$(head -1 "$CHAOS_DIR/$pg/postmaster.pid")"
    fi
done
left=""
for port in $NGINX_PORT $NODE1_PORT $NODE2_PORT $REDIS_PORT $PG1_PORT $PG2_PORT; do
    for pid in $(ss -Htlnp "sport = :$port" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u); do
        stop_pid "$pid"
    done
    ss -Htln "sport = :$port" 2>/dev/null | grep -q . && left="$left $port"
done
[ -z "$left" ] || { echo "down: still listening on$left" >&2; exit 1; }
echo "down: chaos deployment stopped; logs in $CHAOS_DIR"
exit 0
