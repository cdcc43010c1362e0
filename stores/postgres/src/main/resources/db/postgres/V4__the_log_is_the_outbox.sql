-- The log is the outbox: the relay publishes it from its own checkpoint, so events no longer get a
-- row each. The checkpoint starts where the outbox rows did: just before the oldest event still
-- waiting, or at the head if none waited (with the local transport nothing ever waits).
INSERT INTO checkpoints (consumer, position)
SELECT 'outbox-relay', COALESCE((SELECT min(position) - 1 FROM outbox), (SELECT max(position) FROM events), 0)
ON CONFLICT (consumer) DO NOTHING;

DROP TABLE outbox;
