-- The storage quota sums a user's stored files on every upload and in GET /api/users/me.
CREATE INDEX attachments_uploader_stored ON attachments (uploader_id) WHERE deleted_at IS NULL;
