# Shared settings of the chaos deployment (sourced by every script here). Everything lives under
# $CHAOS_DIR and listens on 127.0.0.1 ports of its own: the machine's own PostgreSQL and Redis are
# never touched.
CHAOS_DIR=${CHAOS_DIR:-/tmp/confab-chaos}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)}
PG1_PORT=${PG1_PORT:-56432}
PG2_PORT=${PG2_PORT:-56433}
REDIS_PORT=${REDIS_PORT:-56379}
NODE1_PORT=${NODE1_PORT:-18191}
NODE2_PORT=${NODE2_PORT:-18192}
NGINX_PORT=${NGINX_PORT:-18190}
# The jar of this checkout unless CONFAB_JAR says otherwise; the default is absolute, so a fault
# script run from any directory (the load tool runs them with sh) restarts the same build.
CHAOS_HOME=$(cd "$(dirname "$0")/../.." && pwd)
CONFAB_JAR=${CONFAB_JAR:-$CHAOS_HOME/target/confab.jar}
JAVA=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}

as_postgres() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# start_node N: one Confab node (java -jar), both PostgreSQL hosts in DATABASE_URL, the Redis bus.
start_node() {
    n=$1
    # Loudly, not a node that silently never comes back (the first chaos run lost a fault that way).
    if [ ! -f "$CONFAB_JAR" ]; then
        echo "chaos: CONFAB_JAR=$CONFAB_JAR does not exist; build it: ./mvnw -Dskip.web=true -DskipTests package" >&2
        return 2
    fi
    eval port=\$NODE${n}_PORT
    mkdir -p "$CHAOS_DIR/node$n"
    env PORT=$port DATA_DIR="$CHAOS_DIR/node$n" \
        DATABASE_URL="postgresql://postgres@127.0.0.1:$PG1_PORT,127.0.0.1:$PG2_PORT/confab" \
        REDIS_URL="redis://127.0.0.1:$REDIS_PORT" LOG_FORMAT=json NODE_NAME=node$n \
        RATE_LIMIT_API_PER_MINUTE=1000000 RATE_LIMIT_MESSAGES_PER_SECOND=100000 \
        nohup "$JAVA" -Xmx512m -jar "$CONFAB_JAR" >>"$CHAOS_DIR/node$n.log" 2>&1 &
    echo $! >"$CHAOS_DIR/node$n.pid"
}

# wait_ready N [SECONDS]: until node N answers /health/ready with 200 (default 360 s).
wait_ready() {
    eval port=\$NODE${1}_PORT
    for _ in $(seq 1 $(( ${2:-360} * 2 ))); do
        curl -fsS -o /dev/null 2>/dev/null "http://127.0.0.1:$port/health/ready" && return 0
        sleep 0.5
    done
    echo "node$1 not ready" >&2
    return 1
}
