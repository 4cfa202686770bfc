# Fault: node 1 dies (kill -9, no drain); 5 s later it is started again (as an orchestrator would).
# Returns without waiting for it to be ready, so the next fault keeps its schedule (a start took
# 4-5 minutes on the loaded measuring machine, and waiting held every later fault back).
. "$(dirname "$0")/env.sh"
kill -9 "$(cat "$CHAOS_DIR/node1.pid")"
sleep 5
start_node 1
