-- Full-text search over messages (docs/SEARCH.md). Both search columns are generated from
-- `content`, so every insert, edit and delete keeps them current with no extra step: an edited
-- message is found by its new text only, a deleted one (blank content, is_deleted) by nothing.

CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Stored content is HTML-escaped and carries **bold** and *italic* markers (docs/subsystems/formatting.md).
-- Markers are dropped only where they pair up around text on one line, so "2 * 3" stays. The result is still escaped: that is what
-- the word index reads, because PostgreSQL's parser skips an entity (&lt;) as one non-word but
-- would skip whole stretches of real "<...>" text as if they were HTML tags.
CREATE FUNCTION message_unformatted(content TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT regexp_replace(
           regexp_replace(content, '\*\*([^*\s](?:[^*\n]*[^*\s])?)\*\*', '\1', 'g'),
           '\*([^*\s](?:[^*\n]*[^*\s])?)\*', '\1', 'g')
$$;

-- What a reader sees, as plain text: the entities the message writer produces are decoded, &amp;
-- last, so that "&amp;lt;" comes back as the literal text "&lt;".
CREATE FUNCTION message_plain_text(content TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT replace(replace(replace(replace(replace(replace(replace(message_unformatted(content),
           '&lt;', '<'), '&gt;', '>'), '&quot;', '"'), '&#39;', ''''), '&#x27;', ''''), '&#039;', ''''),
       '&amp;', '&')
$$;

-- Scripts written without spaces between words (Chinese, Japanese, Thai) and Korean, whose words
-- carry attached particles, become one character per word before indexing. A query for such text
-- goes through the same function and becomes a phrase of adjacent characters, so any run of
-- characters is found through the ordinary full-text index, whatever the database locale.
-- The Java side lists the same ranges (app.confab.search.SpacelessScripts).
CREATE FUNCTION message_search_words(text TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
SELECT regexp_replace(text,
    '([\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f])',
    ' \1 ', 'g')
$$;

ALTER TABLE messages
    ADD COLUMN search_text TEXT
        GENERATED ALWAYS AS (CASE WHEN is_deleted THEN '' ELSE message_plain_text(content) END) STORED,
    ADD COLUMN search_vector TSVECTOR
        GENERATED ALWAYS AS (CASE WHEN is_deleted THEN ''::tsvector
            ELSE to_tsvector('english'::regconfig, message_search_words(message_unformatted(content))) END) STORED;

-- Words (English stems, prefixes, phrases, CJK character runs) go through the tsvector index;
-- parts of words ("ployment" in "deployment") and the exact text of phrases through the trigram
-- index. Deleted messages are in neither.
CREATE INDEX messages_search_vector ON messages USING gin (search_vector) WHERE NOT is_deleted;
CREATE INDEX messages_search_trigram ON messages USING gin (search_text gin_trgm_ops) WHERE NOT is_deleted;

-- Date filters (before:, after:, on:) over messages that are not deleted.
CREATE INDEX messages_created_at ON messages (created_at) WHERE NOT is_deleted;

-- has:image looks up the attached images of the caller's chats (the attachment feature sets
-- chat_id and message_id together when a message is sent with images).
CREATE INDEX attachments_chat_message ON attachments (chat_id, message_id) WHERE message_id IS NOT NULL;
