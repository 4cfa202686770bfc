-- The messages table's GIN indexes (search words, trigrams, mentions) collect new entries in a
-- pending list, which the insert that overflows it merges into the index. With the default 4 MB
-- list that merge took ~25 ms every ~2,600 messages (docs/PERFORMANCE.md, "The 2026-12-04 changes"),
-- inside the stream's serial section, so every send queued behind it. A 128 kB list merges in ~2 ms
-- every ~110 messages: the same work in total, in stalls too short to show in a send's latency.
ALTER INDEX messages_search_vector SET (gin_pending_list_limit = 128);
ALTER INDEX messages_search_trigram SET (gin_pending_list_limit = 128);
ALTER INDEX messages_mentions SET (gin_pending_list_limit = 128);
