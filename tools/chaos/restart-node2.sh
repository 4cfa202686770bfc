# Fault: node 2 is restarted as a rolling update does it: SIGTERM (readiness 503, drain, sockets
# close with 1012), wait for the process to end, start it again. An orchestrator takes one node at
# a time (maxUnavailable 1), so this first waits until node 1 is ready: with both nodes down there
# is nothing to fail over to. Returns without waiting for node 2 to be ready (see kill-node1.sh).
. "$(dirname "$0")/env.sh"
wait_ready 1 900 || exit 1
pid=$(cat "$CHAOS_DIR/node2.pid")
kill -TERM "$pid"
for _ in $(seq 1 240); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
kill -0 "$pid" 2>/dev/null && { echo "node2 did not stop in 120 s; killing it" >&2; kill -9 "$pid"; }
start_node 2
