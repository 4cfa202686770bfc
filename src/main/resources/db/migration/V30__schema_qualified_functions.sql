-- pg_dump writes a restore script that runs with an empty search_path, and generated columns are
-- computed during the restore's COPY. message_plain_text called message_unformatted by its bare
-- name, so a restore of a plain `pg_dump` failed with "function message_unformatted(text) does not
-- exist" and left no messages table. The call is now qualified with the schema the migrations run
-- in (whatever it is called), so the function finds its helper under any search_path.
-- SET search_path on the function would do the same but stops PostgreSQL inlining it into queries.
-- The body is unchanged otherwise, so no stored search column needs recomputing.
DO $migration$
BEGIN
    EXECUTE format($function$
CREATE OR REPLACE FUNCTION %1$I.message_plain_text(content TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT replace(replace(replace(replace(replace(replace(replace(%1$I.message_unformatted(content),
           '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&#x27;', ''''), '&#039;', ''''),
       '&amp;', '&')
$$
$function$, current_schema());
END
$migration$;
