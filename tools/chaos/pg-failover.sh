# Fault: the PostgreSQL primary crashes (immediate stop); the synchronous standby is promoted.
. "$(dirname "$0")/env.sh"
as_postgres "$PG_BIN/pg_ctl" -D "$CHAOS_DIR/pg1" -m immediate stop
sleep 2
as_postgres "$PG_BIN/pg_ctl" -D "$CHAOS_DIR/pg2" -w promote
