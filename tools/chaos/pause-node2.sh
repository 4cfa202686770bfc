# Fault: node 2 freezes for 10 s (SIGSTOP: a GC pause, a stalled VM, a network partition of its
# process), then carries on (SIGCONT). Its TCP connections stay open throughout.
. "$(dirname "$0")/env.sh"
kill -STOP "$(cat "$CHAOS_DIR/node2.pid")"
sleep 10
kill -CONT "$(cat "$CHAOS_DIR/node2.pid")"
