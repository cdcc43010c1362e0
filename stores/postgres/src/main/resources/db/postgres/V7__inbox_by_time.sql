-- Inbox entries by when they were made, for forgetting the old ones (InboxRetention). A plain
-- CREATE INDEX: it holds off writes to the inbox while it builds, once, at the upgrade.
CREATE INDEX inbox_by_time ON inbox (handled_at);
