-- Files of any type (docs/subsystems/attachments.md, "Files"): a file's content type can be long
-- (application/vnd.openxmlformats-officedocument.wordprocessingml.document is 71 characters), and
-- a file has no derived sizes, so medium_* and thumbnail_* stay NULL for it (they already may).
ALTER TABLE attachments ALTER COLUMN file_type TYPE VARCHAR(255);
