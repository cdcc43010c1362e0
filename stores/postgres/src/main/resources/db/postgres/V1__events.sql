-- The event log and its outbox. Applied by Flyway in one transaction (PostgreSQL has transactional
-- DDL), so a failure leaves none of it behind. Migrations are forward-only: never edit an applied
-- one (Flyway checks their checksums at start), add V<n+1>__what.sql instead.

-- position: the global order of the log. Values come from the identity sequence while the writing
-- transaction holds the append lock (pg_advisory_xact_lock, see PostgresEventStore), so they are
-- handed out, and become visible, in commit order. A rolled-back append leaves a hole, never a
-- late-appearing event.
CREATE TABLE events (
  position   BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  stream_id  TEXT   NOT NULL,
  version    BIGINT NOT NULL,
  event_id   TEXT   NOT NULL UNIQUE,
  type       TEXT   NOT NULL,
  subject    TEXT   NOT NULL,
  envelope   JSON   NOT NULL,
  CONSTRAINT events_stream_version UNIQUE (stream_id, version)
);
CREATE INDEX events_by_subject ON events (subject, position);
CREATE INDEX events_by_type ON events (type, position);

-- Events not yet confirmed as published by the transport.
CREATE TABLE outbox (
  position BIGINT PRIMARY KEY REFERENCES events (position)
);
