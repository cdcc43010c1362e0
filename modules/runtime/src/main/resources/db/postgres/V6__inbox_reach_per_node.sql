-- A consumer's reach is kept per node: each node raises a row of its own, and a lane taken over
-- reads the highest of the consumer's rows. With one row per consumer shared by the nodes, the row
-- stayed locked from a node's raise until its commit, so every other node's commit for that consumer
-- waited for it, and two nodes raising two consumers' rows in opposite orders deadlocked.
ALTER TABLE inbox_reach ADD COLUMN node TEXT NOT NULL DEFAULT '';
ALTER TABLE inbox_reach DROP CONSTRAINT inbox_reach_pkey;
ALTER TABLE inbox_reach ADD PRIMARY KEY (consumer, node);
