# Fault: node 1 dies (kill -9, no drain); 5 s later it is started again (as an orchestrator would).
. "$(dirname "$0")/env.sh"
kill -9 "$(cat "$CHAOS_DIR/node1.pid")"
sleep 5
start_node 1
wait_ready 1
