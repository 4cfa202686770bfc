-- OpenID Connect single sign-on (issue 13). Never edit once applied; add V42+.

-- An account made or linked by single sign-on is found again by its issuer's subject, never by
-- username (a provider's username could collide with, and take over, a local account).
ALTER TABLE users
    ADD COLUMN oidc_issuer  VARCHAR(300),
    ADD COLUMN oidc_subject VARCHAR(255);
CREATE UNIQUE INDEX users_oidc_identity ON users (oidc_issuer, oidc_subject) WHERE oidc_subject IS NOT NULL;

-- A sign-in in progress: the state parameter (hashed), its PKCE verifier and nonce. One use, minutes.
CREATE TABLE oidc_states (
    state_hash    VARCHAR(64) PRIMARY KEY,
    code_verifier VARCHAR(128) NOT NULL,
    nonce         VARCHAR(128) NOT NULL,
    next_path     VARCHAR(500) NOT NULL,
    expires_at    TIMESTAMPTZ  NOT NULL
);

-- The browser gets a one-time code after the callback and trades it for Confab's tokens, so tokens
-- never travel in a URL.
CREATE TABLE oidc_handoffs (
    code_hash  VARCHAR(64) PRIMARY KEY,
    user_id    UUID        NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    expires_at TIMESTAMPTZ NOT NULL
);
