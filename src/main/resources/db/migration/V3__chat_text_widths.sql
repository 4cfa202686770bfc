-- Chat names and descriptions are stored HTML-escaped (docs/subsystems/formatting.md): one typed
-- character can become up to six stored ones ("'" -> "&#39;" ...). The limits users see stay at
-- 100 and 500 typed characters; the columns make room for their escaped form. Widening a
-- VARCHAR does not rewrite the table.
ALTER TABLE chats ALTER COLUMN name TYPE VARCHAR(600);
ALTER TABLE chats ALTER COLUMN description TYPE VARCHAR(3000);

-- Unread counts and "last message" look only at messages that are not deleted, per chat, by
-- position; the sender is included so the unread count (which skips the reader's own messages)
-- is an index-only scan.
CREATE INDEX messages_chat_live ON messages (chat_id, position) INCLUDE (sender_id) WHERE NOT is_deleted;
