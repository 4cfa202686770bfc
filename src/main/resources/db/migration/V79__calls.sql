-- Voice and video calls (docs/subsystems/calls.md). The signalling itself is ephemeral; these rows
-- are the call's state, kept in the database so that any node can answer any request about the
-- call (accept on node B of a call rung from node A) and exactly one node ends a ring that timed out.
CREATE TABLE calls (
    id          UUID PRIMARY KEY,
    chat_id     UUID        NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    caller_id   UUID REFERENCES users (id) ON DELETE SET NULL,
    video       BOOLEAN     NOT NULL,
    -- ringing (nobody has answered yet), active (someone answered), ended
    state       VARCHAR(10) NOT NULL,
    -- once ended: missed, unavailable, declined, ended
    outcome     VARCHAR(12),
    created_at  TIMESTAMPTZ NOT NULL,
    ring_until  TIMESTAMPTZ NOT NULL,
    answered_at TIMESTAMPTZ,
    ended_at    TIMESTAMPTZ,
    -- the call log entry posted to the chat when the call ended
    message_id  UUID
);
-- One live call per chat: a second invite is refused, a group member joins the live call instead.
CREATE UNIQUE INDEX calls_one_live_per_chat ON calls (chat_id) WHERE state <> 'ended';
CREATE INDEX calls_live ON calls (ring_until) WHERE state <> 'ended';

CREATE TABLE call_participants (
    call_id   UUID        NOT NULL REFERENCES calls (id) ON DELETE CASCADE,
    user_id   UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- ringing, joined, declined, missed, left
    state     VARCHAR(10) NOT NULL,
    joined_at TIMESTAMPTZ,
    left_at   TIMESTAMPTZ,
    PRIMARY KEY (call_id, user_id)
);
