-- Mentions, threads, system messages and link previews (docs/subsystems/chats-messages.md).

-- Mentions are stored on the message, as user ids parsed from the text against the chat's
-- members when it is sent or edited, so renaming a user keeps them. A mention count is derived
-- from the read cursor like the unread count: no row per recipient per message.
ALTER TABLE messages ADD COLUMN mentions UUID[] NOT NULL DEFAULT '{}';
-- @here / @all: every member is mentioned.
ALTER TABLE messages ADD COLUMN mentions_everyone BOOLEAN NOT NULL DEFAULT FALSE;
CREATE INDEX messages_mentions ON messages USING gin (mentions);

-- A thread reply names its root (a main-timeline message of the same chat).
ALTER TABLE messages ADD COLUMN thread_root_id UUID REFERENCES messages (id) ON DELETE CASCADE;
CREATE INDEX messages_thread ON messages (thread_root_id, position) WHERE thread_root_id IS NOT NULL;

-- System messages (content_type 'system'): {"action","actorId","targetIds","name","description"}.
ALTER TABLE messages ADD COLUMN system_event JSONB;

-- Open Graph preview of the message's first link, fetched after commit when enabled.
ALTER TABLE messages ADD COLUMN link_preview JSONB;

-- Who may use @here / @all in a group: 'all' members or only 'admins' (owner and admins).
ALTER TABLE chats ADD COLUMN everyone_mentions VARCHAR(10) NOT NULL DEFAULT 'all'
    CHECK (everyone_mentions IN ('all', 'admins'));

-- Each member's read position in a thread: one row per user per thread they opened.
CREATE TABLE thread_reads (
    user_id            UUID   NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    root_id            UUID   NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    last_read_position BIGINT NOT NULL,
    PRIMARY KEY (user_id, root_id)
);
