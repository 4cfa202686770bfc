#!/usr/bin/env sh
# Statements per message:send, counted by pg_stat_statements (a count: valid on a busy machine).
# Usage: tools/perf/statements-per-message.sh PG_URL LOAD_TOOL_ARGS...
#   PG_URL: the server's database, on a PostgreSQL with shared_preload_libraries = 'pg_stat_statements'
#   and `CREATE EXTENSION pg_stat_statements` in that database (docs/PERFORMANCE.md, "Counting").
# Resets the statistics, runs the load tool (seed shape unless the arguments say otherwise), then
# prints every statement of the run by calls, and calls per stored message.
set -eu
pg="$1"; shift
# Messages stored by the run, from the table: since a batch's messages go in one insert, the
# insert's calls count batches, not messages.
before=$(psql "$pg" -Atqc "SELECT count(*) FROM messages")
psql "$pg" -Atqc "SELECT pg_stat_statements_reset()" >/dev/null
"${JAVA:-java}" -cp "${LOAD_CP:?set LOAD_CP to the load tool classpath (see docs/PERFORMANCE.md)}" app.confab.load.LoadTool "$@" || true
stored=$(( $(psql "$pg" -Atqc "SELECT count(*) FROM messages") - before ))
[ "$stored" -gt 0 ] || { echo "no message stored" >&2; exit 1; }
psql "$pg" -P pager=off -v stored="$stored" <<'SQL'
WITH run AS (
    SELECT s.query, s.calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
    WHERE d.datname = current_database()
      AND s.query !~* '^(SELECT pg_stat_statements_reset|BEGIN|COMMIT|SET|SHOW)'),
sent AS (SELECT :stored::numeric AS n)
SELECT run.calls, round(run.calls / sent.n, 3) AS per_message, left(regexp_replace(run.query, '\s+', ' ', 'g'), 110) AS statement
FROM run, sent ORDER BY run.calls DESC LIMIT 40;
SQL
psql "$pg" -Atc "
WITH run AS (SELECT s.query, s.calls FROM pg_stat_statements s JOIN pg_database d ON d.oid = s.dbid
             WHERE d.datname = current_database()),
sent AS (SELECT $stored::numeric AS n)
SELECT 'messages stored: ' || sent.n || '; statements (all, BEGIN/COMMIT included): ' || sum(run.calls)
       || '; per message: ' || round(sum(run.calls) / sent.n, 2)
FROM run, sent GROUP BY sent.n"
