-- Avatars are images uploaded to this server (PUT /api/users/me/avatar): one square image per user.
CREATE TABLE user_avatars (
    user_id      UUID PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    version      VARCHAR(40)  NOT NULL,
    storage_key  VARCHAR(300) NOT NULL,
    content_type VARCHAR(50)  NOT NULL,
    size_bytes   BIGINT       NOT NULL,
    updated_at   TIMESTAMPTZ  NOT NULL DEFAULT now()
);

-- Avatar URLs used to be any http(s) URL or any /api/ path, which every viewer's client fetched
-- (the latter with the viewer's own token). Only this server's avatar paths remain valid.
UPDATE users SET avatar_url = NULL
WHERE avatar_url IS NOT NULL
  AND avatar_url !~ '^/api/users/[0-9a-f-]{36}/avatar(\?v=[A-Za-z0-9_-]{1,40})?$';
