package dev.switchboard.stores.embedded;

import java.util.Collections;

/** Every statement of the embedded store, in one place. */
final class SqliteSql {

  static final String INSERT_EVENT = """
      INSERT INTO events (position, stream_id, version, event_id, type, subject, envelope)
      VALUES (?, ?, ?, ?, ?, ?, ?)""";
  static final String SELECT_STREAM_VERSION = "SELECT MAX(version) FROM events WHERE stream_id = ?";
  static final String SELECT_STREAM = "SELECT position, envelope FROM events WHERE stream_id = ? ORDER BY version";
  static final String SELECT_SUBJECT = "SELECT position, envelope FROM events WHERE subject = ? ORDER BY position";
  static final String SELECT_ALL = "SELECT position, envelope FROM events WHERE position > ? ORDER BY position LIMIT ?";

  static final String INSERT_INBOX = """
      INSERT INTO inbox (consumer, event_id, handled_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING""";
  /**
   * At most ?2 entries made before ?1, the oldest first (by the index on the time), but for those of
   * events still among the consumer's dead letters: a letter's replay needs its entry.
   */
  static final String FORGET_INBOX = """
      DELETE FROM inbox WHERE (consumer, event_id) IN
        (SELECT i.consumer, i.event_id FROM inbox i WHERE i.handled_at < ?
           AND NOT EXISTS (SELECT 1 FROM dead_letters d WHERE d.consumer = i.consumer AND d.event_id = i.event_id)
         ORDER BY i.handled_at LIMIT ?)""";
  /** The ids of a JSON array that the consumer's inbox holds: one statement, whatever the number of ids. */
  static final String SELECT_INBOX_AMONG = """
      SELECT event_id FROM inbox WHERE consumer = ? AND event_id IN (SELECT value FROM json_each(?))""";
  static final String SELECT_CONSUMER_STREAM = "SELECT sequence FROM consumer_streams WHERE consumer = ? AND stream_id = ?";
  /** Raises a consumer's sequence of a stream; changes no row if it is there already, or beyond. */
  static final String ADVANCE_CONSUMER_STREAM = """
      INSERT INTO consumer_streams (consumer, stream_id, sequence) VALUES (?, ?, ?)
      ON CONFLICT (consumer, stream_id) DO UPDATE SET sequence = excluded.sequence
      WHERE consumer_streams.sequence < excluded.sequence""";
  /** As {@link #ADVANCE_CONSUMER_STREAM}, but a row at the same sequence changes too (a replayed dead letter). */
  static final String REPLAY_CONSUMER_STREAM = """
      INSERT INTO consumer_streams (consumer, stream_id, sequence) VALUES (?, ?, ?)
      ON CONFLICT (consumer, stream_id) DO UPDATE SET sequence = excluded.sequence
      WHERE consumer_streams.sequence <= excluded.sequence""";
  static final String SELECT_CHECKPOINT = "SELECT position FROM checkpoints WHERE consumer = ?";
  /** Raises how far along the log a consumer's progress reaches (to an event's position). */
  static final String RAISE_INBOX_REACH = """
      INSERT INTO inbox_reach (consumer, position) VALUES (?, ?)
      ON CONFLICT (consumer) DO UPDATE SET position = MAX(position, excluded.position)""";
  static final String SELECT_INBOX_REACH = "SELECT position FROM inbox_reach WHERE consumer = ?";
  static final String UPSERT_CHECKPOINT = """
      INSERT INTO checkpoints (consumer, position) VALUES (?, ?)
      ON CONFLICT (consumer) DO UPDATE SET position = MAX(position, excluded.position)""";

  static final String SELECT_DOCUMENT_REVISION = "SELECT revision FROM documents WHERE collection = ? AND id = ?";
  static final String SELECT_DOCUMENT = "SELECT revision, body FROM documents WHERE collection = ? AND id = ?";
  /** Changes no row unless the document is still at the revision before the one written. */
  static final String UPSERT_DOCUMENT = """
      INSERT INTO documents (collection, id, revision, body, expires_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (collection, id) DO UPDATE SET revision = excluded.revision, body = excluded.body,
        expires_at = excluded.expires_at
      WHERE documents.revision = excluded.revision - 1""";
  /** Up to a number of documents expired at a time, the earliest expired first; answers the keys of those it deleted. */
  static final String FORGET_EXPIRED_DOCUMENTS = """
      DELETE FROM documents WHERE (collection, id) IN
        (SELECT collection, id FROM documents WHERE expires_at IS NOT NULL AND expires_at <= ?
         ORDER BY expires_at LIMIT ?)
      RETURNING collection, id""";

  static final String INSERT_DEAD_LETTER = """
      INSERT INTO dead_letters (id, consumer, event_id, position, reason, attempts, event, failed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (id) DO UPDATE SET reason = excluded.reason, attempts = excluded.attempts,
        failed_at = excluded.failed_at""";
  private static final String DEAD_LETTER_COLUMNS = "id, consumer, event_id, position, reason, attempts, event, failed_at";
  static final String SELECT_DEAD_LETTERS =
      "SELECT " + DEAD_LETTER_COLUMNS + " FROM dead_letters ORDER BY failed_at, id LIMIT ?";
  static final String SELECT_DEAD_LETTER = "SELECT " + DEAD_LETTER_COLUMNS + " FROM dead_letters WHERE id = ?";
  static final String DELETE_DEAD_LETTER = "DELETE FROM dead_letters WHERE id = ?";

  private SqliteSql() {
  }

  static String selectAllOfTypes(int typeCount) {
    String marks = String.join(", ", Collections.nCopies(typeCount, "?"));
    return "SELECT position, envelope FROM events WHERE position > ? AND type IN (" + marks + ")"
        + " ORDER BY position LIMIT ?";
  }
}
