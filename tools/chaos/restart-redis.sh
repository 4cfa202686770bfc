# Fault: Redis goes away for 10 s (nodes fall back to tailing the stream from the database).
. "$(dirname "$0")/env.sh"
kill "$(cat "$CHAOS_DIR/redis.pid")"
sleep 10
redis-server --port $REDIS_PORT --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$CHAOS_DIR/redis.pid" --logfile "$CHAOS_DIR/redis.log"
