-- Consumers' inboxes, checkpoints and per-stream sequences, dead letters, and read-model documents.

CREATE TABLE inbox (
  consumer   TEXT        NOT NULL,
  event_id   TEXT        NOT NULL,
  handled_at TIMESTAMPTZ NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer, event_id)
);

CREATE TABLE checkpoints (
  consumer TEXT   PRIMARY KEY,
  position BIGINT NOT NULL
);

-- The highest sequence of each stream a consumer has applied: events older than it are stale.
CREATE TABLE consumer_streams (
  consumer  TEXT   NOT NULL,
  stream_id TEXT   NOT NULL,
  sequence  BIGINT NOT NULL,
  PRIMARY KEY (consumer, stream_id)
);

CREATE TABLE documents (
  collection TEXT   NOT NULL,
  id         TEXT   NOT NULL,
  revision   BIGINT NOT NULL,
  body       JSON   NOT NULL,
  PRIMARY KEY (collection, id)
);

-- failed_at is kept as the RFC 3339 text it was given, so that a letter reads back exactly as written.
CREATE TABLE dead_letters (
  id        TEXT    PRIMARY KEY,
  consumer  TEXT    NOT NULL,
  event_id  TEXT    NOT NULL,
  position  BIGINT  NOT NULL,
  reason    TEXT    NOT NULL,
  attempts  INTEGER NOT NULL,
  event     JSON    NOT NULL,
  failed_at TEXT    NOT NULL
);
CREATE INDEX dead_letters_by_time ON dead_letters (failed_at, id);
