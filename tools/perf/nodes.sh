#!/usr/bin/env bash
# Issue 17's "1 -> 3 nodes on one PostgreSQL", for a QUIET machine (docs/SCALING.md). For each node
# count in NODES_COUNTS (default "1 2 3"), from scratch: a PostgreSQL 15 of its own (initdb, tuned
# for a 2-core box: shared_buffers 512MB, wal_buffers 16MB, max_wal_size 4GB; fsync and
# synchronous_commit stay on, so every message is flushed before its ack), a Redis of its own, N
# Confab nodes (java -jar target/confab.jar with DATABASE_URL and REDIS_URL, -Xmx512m each), nginx
# in front with the upstreams of deploy/nginx.conf; then the throughput scenario through nginx with
# every node's pid (CPU summed over the nodes per step) and the postmaster's.
#
#   tools/perf/nodes.sh                      # 1, 2 and 3 nodes, 250 -> 1,500 msg/s, 20 s steps
#   NODES_COUNTS="1 3" NODES_TP_MAX=1000 tools/perf/nodes.sh
#
# Writes each run's report to docs/performance/ (NODES_OUT) and prints a markdown table of every
# step (also written to docs/performance/nodes-TIMESTAMP.md). Needs: PostgreSQL's server programs
# (initdb, pg_ctl), redis-server, nginx, python3, curl. Everything listens on 127.0.0.1 ports of
# its own (56540-56559); the machine's own PostgreSQL and Redis are never touched.
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
export JAVA_HOME PATH="$JAVA_HOME/bin:$PATH"
unset DATABASE_URL DATABASE_REPLICA_URL REDIS_URL || true
counts=${NODES_COUNTS:-1 2 3}
out=${NODES_OUT:-docs/performance}
jar=target/confab.jar
pg_bin=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
pg_port=56540; redis_port=56541; nginx_port=56542; first_node_port=56551
stamp=$(date -u +%Y%m%d-%H%M%S)
work=$(mktemp -d /tmp/confab-nodes.XXXX)
chmod 755 "$work"
mkdir -p "$out"
node_pids=()

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

log() { printf '\n=== %s %s\n' "$(date -u +%H:%M:%S)" "$*"; }

down() {
  [ -f "$work/nginx.pid" ] && kill -TERM "$(cat "$work/nginx.pid")" 2>/dev/null || true
  for pid in "${node_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${node_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  node_pids=()
  [ -f "$work/redis.pid" ] && kill -TERM "$(cat "$work/redis.pid")" 2>/dev/null || true
  [ -f "$work/pg/postmaster.pid" ] && as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -m fast -w stop >/dev/null 2>&1 || true
  rm -f "$work/nginx.pid" "$work/redis.pid"
  sleep 1
}
trap 'down; rm -rf "$work"' EXIT

[ -f "$jar" ] || { log "building $jar"; ./mvnw -B -ntp -q -Dskip.web=true -DskipTests package; }
log "compiling the load tool"
./mvnw -B -ntp -q -Dskip.web=true test-compile
./mvnw -B -ntp -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$work/cp.txt" >/dev/null
cp="target/test-classes:target/classes:$(cat "$work/cp.txt")"

up() {
  local n=$1 i port upstream="" sockets=""
  rm -rf "$work/pg" "$work/node"*
  # initdb runs as postgres when this script runs as root: the directory must be postgres's.
  mkdir -p "$work/pg" && chmod 700 "$work/pg"
  [ "$(id -u)" = 0 ] && chown postgres "$work/pg"
  as_postgres "$pg_bin/initdb" -D "$work/pg" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null
  cat >>"$work/pg/postgresql.conf" <<CONF
port = $pg_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$work/pg'
max_connections = 200
shared_buffers = 512MB
wal_buffers = 16MB
max_wal_size = 4GB
checkpoint_timeout = 15min
CONF
  as_postgres "$pg_bin/pg_ctl" -D "$work/pg" -l "$work/pg/server.log" -w start >/dev/null
  as_postgres psql -h 127.0.0.1 -p $pg_port -U postgres -qc "CREATE DATABASE confab"
  redis-server --port $redis_port --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$work/redis.pid" --logfile "$work/redis.log"
  for i in $(seq 1 "$n"); do
    port=$((first_node_port + i - 1))
    mkdir -p "$work/node$i"
    env PORT=$port DATA_DIR="$work/node$i" DATABASE_URL="postgresql://postgres@127.0.0.1:$pg_port/confab" \
      REDIS_URL="redis://127.0.0.1:$redis_port" LOG_FORMAT=json NODE_NAME="node$i" \
      RATE_LIMIT_API_PER_MINUTE=1000000 RATE_LIMIT_MESSAGES_PER_SECOND=100000 CONFAB_REQUESTLIMITS_SCALE=100000 \
      java -Xmx512m -jar "$jar" >"$work/node$i.log" 2>&1 &
    node_pids+=($!)
    # One at a time: the first applies the schema migrations.
    for _ in $(seq 1 300); do
      curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
      kill -0 "${node_pids[-1]}" 2>/dev/null || { tail -50 "$work/node$i.log" >&2; exit 1; }
      sleep 1
    done
    upstream+="        server 127.0.0.1:$port max_fails=3 fail_timeout=5s;"$'\n'
    sockets+="        server 127.0.0.1:$port max_fails=0;"$'\n'
  done
  mkdir -p "$work/nginx-tmp"
  cat >"$work/nginx.conf" <<CONF
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
worker_processes 1;
events { worker_connections 8192; }
http {
    access_log off;
    client_body_temp_path $work/nginx-tmp;
    proxy_temp_path $work/nginx-tmp;
    map \$http_upgrade \$connection_upgrade { default upgrade; '' ''; }
    upstream confab {
$upstream        keepalive 32;
    }
    upstream confab-sockets {
$sockets    }
    server {
        listen 127.0.0.1:$nginx_port;
        proxy_http_version 1.1;
        proxy_set_header Connection "";
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
  nginx -c "$work/nginx.conf" -p "$work"
}

summary="$out/nodes-$stamp.md"
{
  echo "| nodes | msg/s | stored/s | lost | p50 ms | p99 ms | machine busy % | nodes' CPU s | CPU ms per message (all nodes) | per node |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
} >"$work/table.md"
for n in $counts; do
  log "$n node(s) on one PostgreSQL"
  up "$n"
  pids=$(IFS=,; echo "${node_pids[*]}")
  set +e
  java -Xmx3g -XX:+UseZGC -cp "$cp" app.confab.load.LoadTool --out "$work/load" --scenario throughput \
    --url "http://127.0.0.1:$nginx_port" --db-url "postgresql://postgres@127.0.0.1:$pg_port/confab" \
    --server-pid "$pids" --pg-pid "$(head -1 "$work/pg/postmaster.pid")" --prefix "n$n" \
    --users 200 --start-rate "${NODES_TP_START:-250}" --step "${NODES_TP_STEP:-250}" \
    --max-rate "${NODES_TP_MAX:-1500}" --step-duration 20 --drain 10 --p99-limit "${NODES_TP_LIMIT:-500}" \
    2>&1 | tee "$work/run-$n.log"
  set -e
  report=$(grep -E '^report: ' "$work/run-$n.log" | tail -1 | sed 's/^report: //; s/, .*//; s/\.json$//')
  if [ -n "$report" ]; then
    name="nodes$n-$(basename "$report")"
    for ext in json html; do [ -f "$report.$ext" ] && cp "$report.$ext" "$out/$name.$ext"; done
    python3 - "$out/$name.json" "$n" >>"$work/table.md" <<'PY'
import json, sys
report, n = json.load(open(sys.argv[1])), int(sys.argv[2])
for s in report["steps"]:
    cpu, stored = s.get("server cpu s", -1), s["stored msg/s"] * 20
    per = f"{1000 * cpu / stored:.2f}" if cpu >= 0 and stored else "-"
    each = f"{1000 * cpu / stored / n:.2f}" if cpu >= 0 and stored else "-"
    print(f"| {n} | {s['target msg/s']:.0f} | {s['stored msg/s']} | {s['lost']} | {s['p50 ms']} | {s['p99 ms']} "
          f"| {s['machine busy %']} | {cpu} | {per} | {each} |")
PY
  fi
  down
done
cp "$work/table.md" "$summary"
log "summary ($summary)"
cat "$summary"
