#!/bin/sh
# Starts the chaos deployment: PostgreSQL primary + synchronous streaming standby (initdb +
# pg_basebackup), Redis, two Confab nodes, nginx in front (WebSocket upgrade, failover to the other
# node). Then: ./mvnw -Pload test-compile exec:exec -Dload.args="--scenario chaos --url http://127.0.0.1:18190
#   --faults tools/chaos/kill-node1.sh,tools/chaos/restart-redis.sh,tools/chaos/pg-failover.sh,tools/chaos/restart-node2.sh"
set -eu
. "$(dirname "$0")/env.sh"
[ -f "$CONFAB_JAR" ] || { echo "build the jar first: ./mvnw -Dskip.web=true -DskipTests package" >&2; exit 2; }
rm -rf "$CHAOS_DIR"; mkdir -p "$CHAOS_DIR"; chmod 755 "$CHAOS_DIR"
[ "$(id -u)" = 0 ] && chown postgres "$CHAOS_DIR"
as_postgres "$PG_BIN/initdb" -D "$CHAOS_DIR/pg1" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
cat >>"$CHAOS_DIR/pg1/postgresql.conf" <<CONF
port = $PG1_PORT
listen_addresses = '127.0.0.1'
unix_socket_directories = '$CHAOS_DIR'
wal_level = replica
max_wal_senders = 5
hot_standby = on
max_connections = 100
CONF
as_postgres "$PG_BIN/pg_ctl" -D "$CHAOS_DIR/pg1" -l "$CHAOS_DIR/pg1.log" -w start >/dev/null
as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p $PG1_PORT -U postgres -D "$CHAOS_DIR/pg2" -R -X stream -c fast
echo "port = $PG2_PORT" >>"$CHAOS_DIR/pg2/postgresql.conf"
as_postgres "$PG_BIN/pg_ctl" -D "$CHAOS_DIR/pg2" -l "$CHAOS_DIR/pg2.log" -w start >/dev/null
# Synchronous only now, on the primary alone: the standby's copy of the file must not wait for a
# standby of its own once promoted.
printf "synchronous_standby_names = '*'\nsynchronous_commit = on\n" >>"$CHAOS_DIR/pg1/postgresql.conf"
as_postgres "$PG_BIN/pg_ctl" -D "$CHAOS_DIR/pg1" reload >/dev/null
as_postgres psql -h 127.0.0.1 -p $PG1_PORT -U postgres -qc "CREATE DATABASE confab"
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$CHAOS_DIR/redis.pid" --logfile "$CHAOS_DIR/redis.log"
start_node 1; wait_ready 1
start_node 2; wait_ready 2
cat >"$CHAOS_DIR/nginx.conf" <<CONF
pid $CHAOS_DIR/nginx.pid;
error_log $CHAOS_DIR/nginx-error.log warn;
worker_processes 1;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $CHAOS_DIR/nginx-tmp;
    proxy_temp_path $CHAOS_DIR/nginx-tmp;
    map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
    # As deploy/nginx.conf: WebSockets in an upstream without failure accounting (an upgraded
    # socket never completes, so a node marked failed would come back one socket per fail_timeout).
    upstream confab {
        server 127.0.0.1:$NODE1_PORT max_fails=3 fail_timeout=5s;
        server 127.0.0.1:$NODE2_PORT max_fails=3 fail_timeout=5s;
        keepalive 32;
    }
    upstream confab-sockets {
        server 127.0.0.1:$NODE1_PORT max_fails=0;
        server 127.0.0.1:$NODE2_PORT max_fails=0;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
        proxy_connect_timeout 3s;
        proxy_next_upstream error timeout http_502 http_503;
        location = /ws {
            proxy_pass http://confab-sockets;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_read_timeout 3600s;
            proxy_buffering off;
        }
        location / { proxy_pass http://confab; }
    }
}
CONF
mkdir -p "$CHAOS_DIR/nginx-tmp"
nginx -c "$CHAOS_DIR/nginx.conf" -p "$CHAOS_DIR"
echo "up: nginx http://127.0.0.1:$NGINX_PORT, nodes $NODE1_PORT $NODE2_PORT, pg $PG1_PORT (primary) $PG2_PORT (standby), redis $REDIS_PORT"
