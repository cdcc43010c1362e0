-- A consumer's reach is kept per node: each node raises a row of its own, and a lane taken over
-- reads the highest of the consumer's rows. With one row per consumer shared by the nodes, the row
-- stayed locked from a node's raise until its commit, so every other node's commit for that consumer
-- waited for it, and two nodes raising two consumers' rows in opposite orders deadlocked.
--
-- inbox_reach stays, as nodes of the previous release write it while they run beside this one (a
-- rolling upgrade); this release reads the higher of the two, and a later one drops it.
CREATE TABLE inbox_reach_by_node (
  consumer TEXT   NOT NULL,
  node     TEXT   NOT NULL,
  position BIGINT NOT NULL,
  PRIMARY KEY (consumer, node)
);
