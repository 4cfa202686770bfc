-- Attachments: each row is one uploaded image with its two derived sizes. V1 made the table; this adds
-- what serving and cleanup need. storage_key / medium_key / thumbnail_key name immutable objects.
ALTER TABLE attachments
    ADD COLUMN medium_type      VARCHAR(50),
    ADD COLUMN medium_width     INTEGER,
    ADD COLUMN medium_height    INTEGER,
    ADD COLUMN medium_size      BIGINT,
    ADD COLUMN thumbnail_type   VARCHAR(50),
    ADD COLUMN thumbnail_width  INTEGER,
    ADD COLUMN thumbnail_height INTEGER,
    ADD COLUMN thumbnail_size   BIGINT,
    -- Order of the images within their message, as the sender listed them.
    ADD COLUMN sort_order       SMALLINT,
    -- Set when the file is to go (message deleted, upload expired or withdrawn); the row lives on
    -- until its objects are removed from storage, so a crash in between leaves nothing behind.
    ADD COLUMN deleted_at       TIMESTAMPTZ;

CREATE INDEX attachments_doomed ON attachments (deleted_at) WHERE deleted_at IS NOT NULL;
CREATE INDEX attachments_uploader_unattached ON attachments (uploader_id) WHERE message_id IS NULL;
