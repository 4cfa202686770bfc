-- Deleted means gone (docs/subsystems/delivery.md, "Redaction and compaction").
--
-- Events about one message name it in a column, so a delete or an edit can find and redact them in
-- its own transaction: message:new, message:edited, message:deleted, reaction:added/removed.
-- (message:read names a message too, but as a read cursor: it is not about that message.)
ALTER TABLE events ADD COLUMN message_id UUID;
UPDATE events SET message_id = CAST(payload->>'id' AS uuid) WHERE type = 'message:new';
UPDATE events SET message_id = CAST(payload->>'messageId' AS uuid)
WHERE type IN ('message:edited', 'message:deleted', 'reaction:added', 'reaction:removed');
CREATE INDEX events_message ON events (message_id) WHERE message_id IS NOT NULL;

-- The compaction horizon: every position at or below it has been dropped from the stream (the
-- compaction removes a prefix). A client whose cursor is below it gets resync.
CREATE TABLE event_stream_horizon (
    singleton    BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (singleton),
    position     BIGINT      NOT NULL,
    compacted_at TIMESTAMPTZ
);
INSERT INTO event_stream_horizon (position) VALUES (0);

-- What earlier versions left behind. A deleted (or no longer existing) message keeps only its
-- message:deleted event.
DELETE FROM events e
WHERE e.message_id IS NOT NULL AND e.type <> 'message:deleted'
  AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.id = e.message_id AND NOT m.is_deleted);

-- An edited message: its message:new shows the current text, and only its latest edit event stays.
DELETE FROM events e
WHERE e.type = 'message:edited'
  AND EXISTS (SELECT 1 FROM events later
              WHERE later.message_id = e.message_id AND later.type = 'message:edited' AND later.position > e.position);
UPDATE events e
SET payload = e.payload || jsonb_build_object(
        'content', m.content, 'metadata', m.metadata, 'isEdited', TRUE,
        'editedAt', to_char(m.edited_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'))
FROM messages m
WHERE e.type = 'message:new' AND e.message_id = m.id AND m.is_edited;

-- A reply's preview of the message it answers follows that message (deleted: no text; edited: the
-- current text, cut as the server cuts previews, approximately).
UPDATE events e
SET payload = jsonb_set(e.payload, '{replyTo}', (e.payload->'replyTo') || jsonb_build_object(
        'content', CASE WHEN o.id IS NULL OR o.is_deleted THEN ''
                        WHEN length(o.content) <= 200 THEN o.content
                        ELSE left(o.content, 200) || '…' END,
        'isDeleted', o.id IS NULL OR o.is_deleted))
FROM messages r
LEFT JOIN messages o ON o.id = r.reply_to_id
WHERE e.type = 'message:new' AND e.message_id = r.id
  AND jsonb_typeof(e.payload->'replyTo') = 'object'
  AND (o.id IS NULL OR o.is_deleted OR o.is_edited);

-- Deleting or editing a message finds the replies whose previews quote it.
CREATE INDEX messages_reply_to ON messages (reply_to_id) WHERE reply_to_id IS NOT NULL;
