-- Inbox entries by when they were made, for forgetting the old ones (InboxRetention), and dead
-- letters by their event, for keeping the entries of those. Plain CREATE INDEX: each holds off writes
-- to its table while it builds, once, at the upgrade.
CREATE INDEX inbox_by_time ON inbox (handled_at);
CREATE INDEX dead_letters_by_event ON dead_letters (consumer, event_id);
