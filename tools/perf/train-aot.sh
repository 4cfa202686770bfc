#!/usr/bin/env bash
# Builds target/confab.aot, a JDK 25 AOT cache (JEP 483/514/515: classes loaded and linked, method
# profiles) from a training run of target/confab.jar: start it with -XX:AOTCacheOutput on a
# throwaway embedded database, drive the hot paths with the load tool (sign-in, WebSocket, send,
# fan-out, receipts) for a short seed run, then stop it; the JVM writes the cache as it exits.
# Use it with:  java -XX:AOTCache=target/confab.aot -jar target/confab.jar
# (the load tool's `compare` does when the file is there). Same JDK and same jar only: rebuild the
# cache after every package. See docs/PERFORMANCE.md, "Cold start".
set -euo pipefail
cd "$(dirname "$0")/../.."
: "${JAVA_HOME:=/usr/lib/jvm/temurin-25-jdk-amd64}"
java="$JAVA_HOME/bin/java"
jar=target/confab.jar
cache=target/confab.aot
[ -f "$jar" ] || { echo "build $jar first: ./mvnw -DskipTests package" >&2; exit 2; }
data=$(mktemp -d /tmp/confab-aot-train.XXXX)
port=${TRAIN_PORT:-18777}
trap 'rm -rf "$data"' EXIT
env -u DATABASE_URL -u REDIS_URL PORT=$port DATA_DIR="$data" LOG_FORMAT=json \
  RATE_LIMIT_API_PER_MINUTE=1000000 RATE_LIMIT_MESSAGES_PER_SECOND=100000 CONFAB_REQUESTLIMITS_SCALE=100000 \
  "$java" -XX:AOTCacheOutput="$cache" -jar "$jar" > "$data/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && break
  kill -0 $pid 2>/dev/null || { cat "$data/server.log" >&2; exit 1; }
  sleep 1
done
./mvnw -B -ntp -q -Pload test-compile exec:exec -Dload.args="--scenario seed --url http://127.0.0.1:$port \
  --users ${TRAIN_USERS:-40} --group-size 10 --rate 100 --duration ${TRAIN_SECONDS:-20} --warmup 0 --drain 10 \
  --out $data/load --prefix aot" || true
kill -TERM $pid
wait $pid || true
ls -la "$cache"
