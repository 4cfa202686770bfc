-- Administration (issue 13): deployment roles, deactivation, invites, one-time password links,
-- the audit trail in the database, and export jobs. Never edit once applied; add V41+.

ALTER TABLE users
    ADD COLUMN role           VARCHAR(10) NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
    -- Set while an administrator has switched the account off: no sign-in, no refresh, not findable.
    ADD COLUMN deactivated_at TIMESTAMPTZ;

-- An existing deployment upgraded to this version gets its first account as administrator, as a
-- fresh one would.
UPDATE users SET role = 'admin'
WHERE id = (SELECT id FROM users ORDER BY created_at, id LIMIT 1)
  AND NOT EXISTS (SELECT 1 FROM users WHERE role = 'admin');

CREATE INDEX users_admins ON users (id) WHERE role = 'admin' AND deactivated_at IS NULL;

-- Invite links. Only the SHA-256 of the token is kept: a database leak does not leak usable links.
CREATE TABLE invites (
    id         UUID PRIMARY KEY DEFAULT gen_random_uuid(),
    token_hash VARCHAR(64) NOT NULL UNIQUE,
    created_by UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    max_uses   INTEGER,
    uses       INTEGER     NOT NULL DEFAULT 0,
    revoked_at TIMESTAMPTZ
);

-- One-time links that set a password: 'reset' (an admin reset) and 'set' (an account an admin made).
CREATE TABLE password_tokens (
    token_hash VARCHAR(64) PRIMARY KEY,
    user_id    UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    VARCHAR(10) NOT NULL CHECK (purpose IN ('reset', 'set')),
    created_by UUID REFERENCES users (id) ON DELETE SET NULL,
    created_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at TIMESTAMPTZ NOT NULL,
    used_at    TIMESTAMPTZ
);
CREATE INDEX password_tokens_user ON password_tokens (user_id);

-- The audit trail (sign-ins, failed sign-ins, admin actions) kept where administrators can query it.
CREATE TABLE audit_events (
    id         BIGSERIAL PRIMARY KEY,
    at         TIMESTAMPTZ  NOT NULL DEFAULT now(),
    action     VARCHAR(40)  NOT NULL,
    actor_id   UUID,
    actor_name VARCHAR(100),
    target_id  UUID,
    target     VARCHAR(200),
    address    VARCHAR(100),
    before     JSONB,
    after      JSONB
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_actor ON audit_events (actor_id, id DESC);
CREATE INDEX audit_events_action ON audit_events (action, id DESC);

CREATE TABLE export_jobs (
    id           UUID PRIMARY KEY,
    requested_by UUID REFERENCES users (id) ON DELETE SET NULL,
    -- 'all' (an administrator's export of the deployment) or 'user' (someone's own data).
    scope        VARCHAR(10) NOT NULL CHECK (scope IN ('all', 'user')),
    status       VARCHAR(10) NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
    done_items   INTEGER     NOT NULL DEFAULT 0,
    total_items  INTEGER     NOT NULL DEFAULT 0,
    size_bytes   BIGINT,
    error        VARCHAR(300),
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    finished_at  TIMESTAMPTZ
);
CREATE INDEX export_jobs_requester ON export_jobs (requested_by, created_at DESC);
