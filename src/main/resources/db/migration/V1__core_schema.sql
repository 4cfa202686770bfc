-- Confab core schema. Seed §5, adapted: delivery state is a per-member cursor (no row per
-- recipient per message) and every visible change is an entry of the durable event stream.
-- Never edit this file once applied; add a new migration instead.

CREATE TABLE app_settings (
    key        VARCHAR(100) PRIMARY KEY,
    value      TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);

CREATE TABLE users (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    username      VARCHAR(50)  NOT NULL,
    password_hash VARCHAR(255) NOT NULL,
    display_name  VARCHAR(100) NOT NULL,
    avatar_url    VARCHAR(500),
    status        VARCHAR(20)  NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'away', 'offline')),
    last_seen     TIMESTAMPTZ,
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
-- Usernames are unique regardless of case; prefix search uses the pattern-ops indexes.
CREATE UNIQUE INDEX users_username_unique ON users (lower(username));
CREATE INDEX users_username_prefix ON users (lower(username) text_pattern_ops);
CREATE INDEX users_display_name_prefix ON users (lower(display_name) text_pattern_ops);

-- One row per sign-in. A refresh token names its session and its own id; only the session's
-- current token id is accepted, so each refresh token works once.
CREATE TABLE auth_sessions (
    id               UUID PRIMARY KEY,
    user_id          UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    current_token_id UUID        NOT NULL,
    created_at       TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at     TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at       TIMESTAMPTZ NOT NULL,
    revoked_at       TIMESTAMPTZ,
    revoked_reason   VARCHAR(30),
    user_agent       VARCHAR(300),
    client_address   VARCHAR(100)
);
CREATE INDEX auth_sessions_user ON auth_sessions (user_id);

-- Each user's view of a relationship: a request makes a row for both sides.
CREATE TABLE contacts (
    id           UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id      UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    contact_id   UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    status       VARCHAR(20) NOT NULL CHECK (status IN ('pending', 'accepted', 'blocked')),
    requested_by UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    accepted_at  TIMESTAMPTZ,
    CONSTRAINT unique_contact_pair UNIQUE (user_id, contact_id),
    CONSTRAINT no_self_contact CHECK (user_id <> contact_id)
);
CREATE INDEX contacts_user_status ON contacts (user_id, status);

CREATE TABLE chats (
    id              UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    type            VARCHAR(20)  NOT NULL CHECK (type IN ('direct', 'group')),
    name            VARCHAR(100),
    slug            VARCHAR(100),
    description     VARCHAR(500),
    avatar_url      VARCHAR(500),
    owner_id        UUID REFERENCES users (id) ON DELETE SET NULL,
    -- "smaller-uuid:larger-uuid" for direct chats: one direct chat per pair.
    direct_key      VARCHAR(80) UNIQUE,
    created_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ  NOT NULL DEFAULT now(),
    last_message_at TIMESTAMPTZ,
    last_message_id UUID,
    is_deleted      BOOLEAN      NOT NULL DEFAULT FALSE,
    deleted_at      TIMESTAMPTZ
);
CREATE UNIQUE INDEX chats_slug_unique ON chats (lower(slug)) WHERE slug IS NOT NULL AND NOT is_deleted;
CREATE INDEX chats_last_activity ON chats (last_message_at DESC) WHERE NOT is_deleted;

-- Membership plus the member's delivery state. Positions are event stream positions:
-- joined/left bound which chat events the member may see; delivered/read are the cursors from
-- which receipts and unread counts are derived.
CREATE TABLE chat_participants (
    id                        UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    chat_id                   UUID        NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    user_id                   UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role                      VARCHAR(20) NOT NULL DEFAULT 'member' CHECK (role IN ('owner', 'admin', 'member')),
    joined_at                 TIMESTAMPTZ NOT NULL DEFAULT now(),
    left_at                   TIMESTAMPTZ,
    joined_position           BIGINT      NOT NULL DEFAULT 0,
    left_position             BIGINT,
    last_delivered_position   BIGINT      NOT NULL DEFAULT 0,
    last_delivered_message_id UUID,
    delivered_at              TIMESTAMPTZ,
    last_read_position        BIGINT      NOT NULL DEFAULT 0,
    last_read_message_id      UUID,
    read_at                   TIMESTAMPTZ,
    CONSTRAINT unique_chat_member UNIQUE (chat_id, user_id)
);
CREATE INDEX chat_participants_user_active ON chat_participants (user_id) WHERE left_at IS NULL;
CREATE INDEX chat_participants_chat_active ON chat_participants (chat_id) WHERE left_at IS NULL;

CREATE TABLE messages (
    id                UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    chat_id           UUID        NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    sender_id         UUID REFERENCES users (id) ON DELETE SET NULL,
    -- Stream position of the message:new event: the order of messages within a chat.
    position          BIGINT      NOT NULL,
    client_message_id VARCHAR(100),
    content           TEXT        NOT NULL,
    content_type      VARCHAR(20) NOT NULL DEFAULT 'text',
    metadata          JSONB       NOT NULL DEFAULT '{}',
    reply_to_id       UUID REFERENCES messages (id) ON DELETE SET NULL,
    is_edited         BOOLEAN     NOT NULL DEFAULT FALSE,
    edited_at         TIMESTAMPTZ,
    is_deleted        BOOLEAN     NOT NULL DEFAULT FALSE,
    deleted_at        TIMESTAMPTZ,
    created_at        TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX messages_position_unique ON messages (position);
CREATE INDEX messages_chat_position ON messages (chat_id, position DESC);
CREATE UNIQUE INDEX messages_client_id_unique ON messages (sender_id, client_message_id) WHERE client_message_id IS NOT NULL;
CREATE INDEX messages_sender ON messages (sender_id, created_at DESC);

CREATE TABLE message_reactions (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    message_id UUID        NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    user_id    UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    emoji      VARCHAR(64) NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT unique_reaction UNIQUE (message_id, user_id, emoji)
);
CREATE INDEX message_reactions_message ON message_reactions (message_id);

CREATE TABLE attachments (
    id            UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    uploader_id   UUID REFERENCES users (id) ON DELETE SET NULL,
    message_id    UUID REFERENCES messages (id) ON DELETE SET NULL,
    chat_id       UUID REFERENCES chats (id) ON DELETE CASCADE,
    file_name     VARCHAR(255) NOT NULL,
    file_type     VARCHAR(50)  NOT NULL,
    size_bytes    BIGINT       NOT NULL,
    width         INTEGER,
    height        INTEGER,
    storage_key   VARCHAR(300) NOT NULL,
    thumbnail_key VARCHAR(300),
    medium_key    VARCHAR(300),
    created_at    TIMESTAMPTZ  NOT NULL DEFAULT now()
);
CREATE INDEX attachments_message ON attachments (message_id);
CREATE INDEX attachments_unattached ON attachments (created_at) WHERE message_id IS NULL;

-- The durable event stream. Positions come from event_position_seq and are taken while holding
-- a transaction-scoped advisory lock, so they commit in order: once position N is visible, every
-- position below N that will ever exist is visible too. That is what makes resume-from-cursor exact.
CREATE SEQUENCE event_position_seq;
CREATE TABLE events (
    position   BIGINT PRIMARY KEY,
    type       VARCHAR(40) NOT NULL,
    chat_id    UUID,
    user_id    UUID,
    payload    JSONB       NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT event_has_audience CHECK (chat_id IS NOT NULL OR user_id IS NOT NULL)
);
CREATE INDEX events_chat ON events (chat_id, position) WHERE chat_id IS NOT NULL;
CREATE INDEX events_user ON events (user_id, position) WHERE user_id IS NOT NULL;
