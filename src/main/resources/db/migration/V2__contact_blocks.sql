-- Contacts (seed §5.2.2): one row per user's view of a relationship. A 'blocked' row is the
-- blocker's view; blocked_at records when, so the blocked list can show it.
ALTER TABLE contacts ADD COLUMN blocked_at TIMESTAMPTZ;

-- Deleting a user cascades through contact_id too; without this it would scan the table.
CREATE INDEX contacts_contact ON contacts (contact_id);
