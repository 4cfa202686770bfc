-- Notification preferences, Web Push subscriptions and the at-most-once delivery records
-- (docs/subsystems/notifications.md). A user without a preferences row has the defaults.
CREATE TABLE notification_preferences (
    user_id             UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    default_level       VARCHAR(10) NOT NULL DEFAULT 'all' CHECK (default_level IN ('all', 'mentions', 'nothing')),
    desktop             BOOLEAN     NOT NULL DEFAULT TRUE,
    push                BOOLEAN     NOT NULL DEFAULT TRUE,
    email               BOOLEAN     NOT NULL DEFAULT TRUE,
    -- Accounts carry no address of their own: digests go to the one given here (none: no email).
    email_address       VARCHAR(254),
    email_delay_minutes INT         NOT NULL DEFAULT 15 CHECK (email_delay_minutes BETWEEN 1 AND 1440),
    email_groups        BOOLEAN     NOT NULL DEFAULT FALSE,
    push_preview        BOOLEAN     NOT NULL DEFAULT TRUE,
    quiet_start         TIME,
    quiet_end           TIME,
    quiet_time_zone     VARCHAR(64),
    updated_at          TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Per-chat overrides of the default level ('nothing' is muted).
CREATE TABLE chat_notification_levels (
    user_id    UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    chat_id    UUID        NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
    level      VARCHAR(10) NOT NULL CHECK (level IN ('all', 'mentions', 'nothing')),
    updated_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, chat_id)
);

-- One browser (device) subscription; the endpoint is the push service's URL for it.
CREATE TABLE push_subscriptions (
    id         UUID PRIMARY KEY,
    user_id    UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    endpoint   TEXT        NOT NULL UNIQUE,
    p256dh     TEXT        NOT NULL,
    auth       TEXT        NOT NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX push_subscriptions_user ON push_subscriptions (user_id);

-- The claim that makes a push at most once per message and device, whichever node sends it.
CREATE TABLE push_deliveries (
    message_id      UUID        NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    subscription_id UUID        NOT NULL REFERENCES push_subscriptions (id) ON DELETE CASCADE,
    claimed_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, subscription_id)
);

-- A message goes into at most one digest email per recipient.
CREATE TABLE email_deliveries (
    user_id    UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message_id UUID        NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
    sent_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, message_id)
);
