-- Projections: which generation of each read-model table serves, the log position it reflects,
-- and the rebuild under way. The tables themselves (read_<name>_<generation>) are created by the
-- app when a projection is registered or rebuilt.

CREATE TABLE projections (
  name               TEXT        PRIMARY KEY,
  generation         INTEGER     NOT NULL,
  position           BIGINT      NOT NULL,
  rebuild_generation INTEGER,
  rebuild_position   BIGINT,
  updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
