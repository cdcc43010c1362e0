package dev.switchboard.stores.postgres;

/** Every statement of the PostgreSQL store, in one place. */
final class PostgresSql {

  /**
   * The key of the transaction-scoped advisory lock that serializes appends to the log, across
   * every connection and every node on the database (see {@link PostgresEventStore}). Arbitrary but
   * fixed: every Switchboard build must use the same.
   */
  static final long APPEND_LOCK_KEY = 0x5357_4254_4c4f_4731L; // "SWBTLOG1"

  /** The channel on which every transaction that appended events notifies, at its commit. */
  static final String CHANNEL = "switchboard_events";

  static final String LOCK_APPENDS = "SELECT pg_advisory_xact_lock($1)";
  /**
   * Notifies with the highest position in the log (under the append lock, the highest of the
   * transaction that sends it) and the origin: computed where the positions are, so that the
   * notification can be sent before the answers with the positions have come back.
   */
  static final String NOTIFY = """
      SELECT pg_notify($1,
        json_build_object('position', (SELECT max(position) FROM events), 'origin', $2::text)::text)""";

  // JSON goes in as text (cast on the server) and comes out as text, so that what is read back is
  // exactly what was written, as in the embedded store.
  //
  // Events (one array per column, one element per event), positions drawn in the order of the
  // arrays. The events of a stream are inserted only if the stream is, before
  // the statement, at the version given with them (the same for all of them: the version the first
  // follows): the optimistic concurrency check and the insert in one statement. A stream elsewhere
  // leaves its events out of the answer, (event id, position) per event inserted; the unique key on
  // (stream, version) stays the last guard.
  static final String INSERT_EVENTS = """
      WITH given AS (
        SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::bigint[])
          WITH ORDINALITY AS g(stream_id, version, event_id, type, subject, envelope, after, n)),
      appended AS (
        INSERT INTO events (stream_id, version, event_id, type, subject, envelope)
        SELECT g.stream_id, g.version, g.event_id, g.type, g.subject, g.envelope::json FROM given g
        WHERE (SELECT COALESCE(MAX(e.version), 0) FROM events e WHERE e.stream_id = g.stream_id) = g.after
        ORDER BY g.n
        RETURNING position, event_id)
      SELECT event_id, position FROM appended""";
  static final String SELECT_STREAM_VERSION = "SELECT COALESCE(MAX(version), 0) FROM events WHERE stream_id = $1";
  /**
   * The events of several streams ($1), each stream's in order: a lookup by the stream's index for
   * each, which no plan cached on a small table can turn into a scan (the ORDER BY keeps the
   * subquery from being merged into a join).
   */
  static final String SELECT_STREAMS = """
      SELECT wanted.stream_id, found.position, found.envelope::text FROM unnest($1::text[]) AS wanted(stream_id)
      CROSS JOIN LATERAL (
        SELECT position, version, envelope FROM events WHERE stream_id = wanted.stream_id ORDER BY version) AS found
      ORDER BY wanted.stream_id, found.version""";
  static final String SELECT_SUBJECT = "SELECT position, envelope::text FROM events WHERE subject = $1 ORDER BY position";
  static final String SELECT_ALL = """
      SELECT position, envelope::text FROM events WHERE position > $1 ORDER BY position LIMIT $2""";
  static final String SELECT_ALL_OF_TYPES = """
      SELECT position, envelope::text FROM events WHERE position > $1 AND type = ANY($2)
      ORDER BY position LIMIT $3""";

  static final String INSERT_INBOX = "INSERT INTO inbox (consumer, event_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
  /**
   * At most $2 entries made before $1, the oldest first (by the index on the time), but for those of
   * events still among the consumer's dead letters: a letter's replay needs its entry.
   */
  static final String FORGET_INBOX = """
      DELETE FROM inbox WHERE ctid IN
        (SELECT i.ctid FROM inbox i WHERE i.handled_at < $1
           AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.consumer = i.consumer AND d.event_id = i.event_id)
         ORDER BY i.handled_at LIMIT $2)""";
  /**
   * The ids among $2 that the consumer handled: in its inbox, or (a sequence in $4 above 0: an
   * event of the log) at or before its place in the stream of $3. Each is looked up by primary key
   * on its own, in a subquery per id that the LIMIT keeps from being merged or hashed. Two shapes
   * before this one let a plan cached before the tables' first analyze (autovacuum off, or not yet
   * come by) read every inbox row of the consumer per call, a cost that grew with the inbox:
   * {@code event_id = ANY($2)} (4 ms a call in a run of the bench), then {@code EXISTS (...) OR
   * EXISTS (...)}, which the planner may answer with a hash of the consumer's whole inbox, built
   * afresh each call (45 ms a call over Kafka, most of the server's time).
   */
  static final String SELECT_HANDLED_AMONG = """
      SELECT wanted.event_id FROM unnest($2::text[], $3::text[], $4::bigint[]) AS wanted(event_id, stream_id, sequence)
      CROSS JOIN LATERAL (
        SELECT FROM inbox WHERE consumer = $1 AND event_id = wanted.event_id
        UNION ALL
        SELECT FROM consumer_streams WHERE wanted.sequence > 0 AND consumer = $1
          AND stream_id = wanted.stream_id AND sequence >= wanted.sequence
        LIMIT 1) AS handled""";
  /** Raises the consumer's sequence of a stream; no row changed means it was there already or beyond. */
  static final String ADVANCE_CONSUMER_STREAM = """
      INSERT INTO consumer_streams (consumer, stream_id, sequence) VALUES ($1, $2, $3)
      ON CONFLICT (consumer, stream_id) DO UPDATE SET sequence = excluded.sequence
      WHERE consumer_streams.sequence < excluded.sequence""";
  /** As {@link #ADVANCE_CONSUMER_STREAM}, but a row at the same sequence changes too (a replayed dead letter). */
  static final String REPLAY_CONSUMER_STREAM = """
      INSERT INTO consumer_streams (consumer, stream_id, sequence) VALUES ($1, $2, $3)
      ON CONFLICT (consumer, stream_id) DO UPDATE SET sequence = excluded.sequence
      WHERE consumer_streams.sequence <= excluded.sequence""";
  /**
   * A consumer's progress over an event in one round trip: remembers the event in the inbox unless
   * its stream tells ($7: an event of the log) and, if it was not there, raises the consumer's
   * sequence of the event's stream (a sequence of 0 or less: nothing to order by), and the reach of
   * its progress to the event's position ($5; 0: not from the log). Answers how many rows the first
   * two steps wrote.
   */
  static final String REMEMBER_AND_ADVANCE = """
      WITH remembered AS (
        INSERT INTO inbox (consumer, event_id) SELECT $1::text, $2::text WHERE NOT $7::boolean
        ON CONFLICT DO NOTHING RETURNING 1),
      reached AS (
        INSERT INTO inbox_reach_by_node (consumer, node, position)
        SELECT $1::text, $6::text, $5::bigint WHERE $5::bigint > 0
        ON CONFLICT (consumer, node) DO UPDATE SET position = excluded.position
        WHERE inbox_reach_by_node.position < excluded.position),
      advanced AS (
        INSERT INTO consumer_streams (consumer, stream_id, sequence)
        SELECT $1::text, $3::text, $4::bigint
        WHERE $4::bigint > 0 AND ($7::boolean OR EXISTS (SELECT FROM remembered))
        ON CONFLICT (consumer, stream_id) DO UPDATE SET sequence = excluded.sequence
        WHERE consumer_streams.sequence < excluded.sequence
        RETURNING 1)
      SELECT (SELECT count(*) FROM remembered), (SELECT count(*) FROM advanced)""";
  /**
   * {@link #REMEMBER_AND_ADVANCE} for a whole batch, from arrays ($2 event ids, $3 stream ids, $4
   * sequences, $7 whether each is of the log, $5 the highest position), in one statement: every
   * event id must be distinct, and every stream id of a positive sequence too (one row may be
   * written only once per statement). Answers the event ids remembered (those put in the inbox that
   * were not there before) and the stream ids advanced.
   */
  static final String REMEMBER_AND_ADVANCE_ALL = """
      WITH given AS (
        SELECT * FROM unnest($2::text[], $3::text[], $4::bigint[], $7::boolean[])
          AS g(event_id, stream_id, sequence, of_the_log)),
      reached AS (
        INSERT INTO inbox_reach_by_node (consumer, node, position)
        SELECT $1::text, $6::text, $5::bigint WHERE $5::bigint > 0
        ON CONFLICT (consumer, node) DO UPDATE SET position = excluded.position
        WHERE inbox_reach_by_node.position < excluded.position),
      remembered AS (
        INSERT INTO inbox (consumer, event_id) SELECT $1::text, event_id FROM given WHERE NOT of_the_log
        ON CONFLICT DO NOTHING RETURNING event_id),
      advanced AS (
        INSERT INTO consumer_streams (consumer, stream_id, sequence)
        SELECT $1::text, g.stream_id, g.sequence FROM given g
        WHERE g.sequence > 0 AND (g.of_the_log OR g.event_id IN (SELECT event_id FROM remembered))
        ON CONFLICT (consumer, stream_id) DO UPDATE SET sequence = excluded.sequence
        WHERE consumer_streams.sequence < excluded.sequence
        RETURNING stream_id)
      SELECT (SELECT coalesce(array_agg(event_id), '{}') FROM remembered),
        (SELECT coalesce(array_agg(stream_id), '{}') FROM advanced)""";
  static final String SELECT_CONSUMER_STREAM = "SELECT sequence FROM consumer_streams WHERE consumer = $1 AND stream_id = $2";
  static final String SELECT_CHECKPOINT = "SELECT position FROM checkpoints WHERE consumer = $1";
  /** Raises how far along the log a consumer's progress reaches ($2: an event's position). */
  static final String RAISE_INBOX_REACH = """
      INSERT INTO inbox_reach_by_node (consumer, node, position) VALUES ($1, $3, $2)
      ON CONFLICT (consumer, node) DO UPDATE SET position = excluded.position
      WHERE inbox_reach_by_node.position < excluded.position""";
  /**
   * A consumer's reach: the highest of its nodes' rows, and of the row that nodes of the release
   * before rows per node keep raising while they run beside this one.
   */
  static final String SELECT_INBOX_REACH = """
      SELECT GREATEST((SELECT max(position) FROM inbox_reach_by_node WHERE consumer = $1),
                      (SELECT position FROM inbox_reach WHERE consumer = $1), 0)""";
  /**
   * Deletes the rows of a consumer's reach that another of its rows exceeds: they no longer count,
   * and each node started adds rows of its own.
   */
  static final String PRUNE_INBOX_REACH = """
      DELETE FROM inbox_reach_by_node r
      WHERE EXISTS (SELECT 1 FROM inbox_reach_by_node o WHERE o.consumer = r.consumer AND o.position > r.position)""";
  static final String UPSERT_CHECKPOINT = """
      INSERT INTO checkpoints (consumer, position) VALUES ($1, $2)
      ON CONFLICT (consumer) DO UPDATE SET position = GREATEST(checkpoints.position, excluded.position)""";

  // A document write is one statement that checks the revision and writes, so that two writers
  // (two nodes) cannot both pass the check: the second waits for the first's row and finds it changed.
  static final String INSERT_DOCUMENT = """
      INSERT INTO documents (collection, id, revision, body, expires_at) VALUES ($1, $2, 1, $3::text::json, $4::timestamptz)
      ON CONFLICT DO NOTHING""";
  /**
   * {@link #INSERT_DOCUMENT} for several documents ($1 collections, $2 ids, $3 bodies, $4 expiries as
   * text, empty for none, pairwise) in one statement; answers the keys of those inserted (not of those
   * that existed).
   */
  static final String INSERT_DOCUMENTS = """
      INSERT INTO documents (collection, id, revision, body, expires_at)
      SELECT collection, id, 1, body::json, NULLIF(expires_at, '')::timestamptz
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS d(collection, id, body, expires_at)
      ON CONFLICT DO NOTHING RETURNING collection, id""";
  static final String UPDATE_DOCUMENT = """
      UPDATE documents SET revision = revision + 1, body = $4::text::json, expires_at = $5::timestamptz
      WHERE collection = $1 AND id = $2 AND revision = $3""";
  static final String UPSERT_DOCUMENT = """
      INSERT INTO documents (collection, id, revision, body, expires_at) VALUES ($1, $2, 1, $3::text::json, $4::timestamptz)
      ON CONFLICT (collection, id) DO UPDATE SET revision = documents.revision + 1, body = excluded.body,
        expires_at = excluded.expires_at""";
  /**
   * Up to $2 documents expired at $1, the earliest expired first. By {@code ctid}: a document written
   * again meanwhile (with a later expiry, say) is a new row version, which the delete does not match.
   */
  static final String FORGET_EXPIRED_DOCUMENTS = """
      DELETE FROM documents WHERE ctid IN
        (SELECT ctid FROM documents WHERE expires_at <= $1 ORDER BY expires_at LIMIT $2)""";
  static final String SELECT_DOCUMENT_REVISION = "SELECT revision FROM documents WHERE collection = $1 AND id = $2";
  /** Several documents ($1 collections, $2 ids, pairwise), each by its primary key. */
  static final String SELECT_DOCUMENTS = """
      SELECT wanted.collection, wanted.id, found.revision, found.body::text
      FROM unnest($1::text[], $2::text[]) AS wanted(collection, id)
      CROSS JOIN LATERAL (
        SELECT revision, body FROM documents WHERE collection = wanted.collection AND id = wanted.id LIMIT 1) AS found""";

  static final String UPSERT_DEAD_LETTER = """
      INSERT INTO dead_letters (id, consumer, event_id, position, reason, attempts, event, failed_at)
      VALUES ($1, $2, $3, $4, $5, $6, $7::text::json, $8)
      ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, attempts = excluded.attempts,
        failed_at = excluded.failed_at""";
  private static final String DEAD_LETTER_COLUMNS =
      "id, consumer, event_id, position, reason, attempts, event::text, failed_at";
  static final String SELECT_DEAD_LETTERS =
      "SELECT " + DEAD_LETTER_COLUMNS + " FROM dead_letters ORDER BY failed_at, id LIMIT $1";
  static final String SELECT_DEAD_LETTER = "SELECT " + DEAD_LETTER_COLUMNS + " FROM dead_letters WHERE id = $1";
  static final String DELETE_DEAD_LETTER = "DELETE FROM dead_letters WHERE id = $1 RETURNING consumer, event_id";

  private PostgresSql() {
  }
}
