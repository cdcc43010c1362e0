-- A good first migration, for PostgresSchemaIT.
CREATE TABLE base_table (id INTEGER PRIMARY KEY);
