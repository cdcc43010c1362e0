-- How far along the log each consumer's inbox reaches: the highest position among the events it
-- handled or dead-lettered. A consumer reading the log looks in its inbox only for events up to it
-- (read again after a restart); later ones cannot be there. A consumer that handled events before
-- this table existed may have any of them in its inbox: it starts at the log's head.
CREATE TABLE inbox_reach (
  consumer TEXT   PRIMARY KEY,
  position BIGINT NOT NULL
);

INSERT INTO inbox_reach (consumer, position)
SELECT DISTINCT consumer, (SELECT COALESCE(max(position), 0) FROM events) FROM inbox;
