-- A migration that fails half-way, for PostgresSchemaIT: its first statements succeed, then one fails.
CREATE TABLE half_done (id INTEGER PRIMARY KEY);
INSERT INTO half_done VALUES (1);
ALTER TABLE base_table ADD COLUMN added TEXT;
SELECT 1 / 0;
