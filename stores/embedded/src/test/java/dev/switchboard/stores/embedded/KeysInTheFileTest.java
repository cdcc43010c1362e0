package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.store.DocumentKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The filter of the file's keys never says "not in the file" of a key that is, whatever the writer's batches did. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KeysInTheFileTest {

  @TempDir
  Path dir;

  private Connection file;
  /** Fills of a larger filter asked for, not yet run. */
  private final List<Runnable> fills = new ArrayList<>();

  @BeforeEach
  void open() throws SQLException {
    file = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("keys.db"));
    SqliteSchema.migrate(file);
  }

  @AfterEach
  void close() throws SQLException {
    file.close();
  }

  @Test
  void the_keys_of_the_file_are_read_at_open_and_no_other_is_held() throws SQLException {
    insertStream("orders-1", 2);
    insertDocument("payments-amounts", "1");

    KeysInTheFile keys = KeysInTheFile.of(file, this::fillLater);
    assertThat(keys.mayHold(KeysInTheFile.stream("inventory-1"))).as("until the file is read").isTrue();
    fills.remove(0).run();

    assertThat(keys.mayHold(KeysInTheFile.stream("orders-1"))).isTrue();
    assertThat(keys.mayHold(KeysInTheFile.document(new DocumentKey("payments-amounts", "1")))).isTrue();
    assertThat(keys.mayHold(KeysInTheFile.stream("inventory-1"))).isFalse();
    assertThat(keys.mayHold(KeysInTheFile.document(new DocumentKey("payments-amounts", "2")))).isFalse();
    assertThat(keys.mayHold(KeysInTheFile.document(new DocumentKey("payments", "amounts-1"))))
        .as("a collection and id that spell the same together").isFalse();
  }

  @Test
  void a_key_the_writer_added_is_held_once_its_batch_ended_committed_or_not() throws SQLException {
    KeysInTheFile keys = KeysInTheFile.of(file, this::fillLater);
    fills.remove(0).run();

    keys.added(KeysInTheFile.stream("committed"));
    keys.workReleased();
    keys.added(KeysInTheFile.stream("rolled-back-to-its-savepoint"));
    keys.workRolledBack();
    assertThat(keys.mayHold(KeysInTheFile.stream("committed"))).as("before the commit").isFalse();
    keys.batchCommitted();
    keys.added(KeysInTheFile.stream("of-a-failed-batch"));
    keys.batchRolledBack();

    assertThat(keys.mayHold(KeysInTheFile.stream("committed"))).isTrue();
    assertThat(keys.mayHold(KeysInTheFile.stream("rolled-back-to-its-savepoint")))
        .as("told of, in a batch that committed: a read will find nothing").isTrue();
    assertThat(keys.mayHold(KeysInTheFile.stream("of-a-failed-batch")))
        .as("a failed commit may have committed after all").isTrue();
    assertThat(keys.mayHold(KeysInTheFile.stream("never"))).isFalse();
  }

  @Test
  void beyond_its_capacity_a_larger_filter_is_filled_from_the_file_and_told_of_what_commits_meanwhile()
      throws SQLException {
    insertStream("before-open", 1);
    KeysInTheFile keys = KeysInTheFile.of(file, this::fillLater, 100);
    fills.remove(0).run();
    List<String> added = IntStream.range(0, 120).mapToObj(i -> KeysInTheFile.stream("added-" + i)).toList();
    for (String key : added) { // as the writer would, streams it also inserted
      keys.added(key);
    }
    insertStream("committed-before-the-fill", 1);
    keys.batchCommitted();
    assertThat(fills).as("a fill asked for").hasSize(1);
    assertThat(keys.capacity()).as("until it is filled").isEqualTo(100);

    keys.added(KeysInTheFile.stream("committed-during-the-fill"));
    keys.batchCommitted();
    fills.remove(0).run();

    assertThat(keys.capacity()).as("about twice the keys it held").isGreaterThan(200);
    assertThat(keys.mayHold(KeysInTheFile.stream("before-open"))).isTrue();
    assertThat(keys.mayHold(KeysInTheFile.stream("committed-before-the-fill"))).isTrue();
    assertThat(keys.mayHold(KeysInTheFile.stream("committed-during-the-fill"))).isTrue();
    assertThat(keys.mayHold(KeysInTheFile.stream("never"))).isFalse();
    assertThat(fills).as("no other fill").isEmpty();
  }

  @Test
  void what_commits_while_the_file_is_first_read_is_held_once_it_is() throws SQLException {
    KeysInTheFile keys = KeysInTheFile.of(file, this::fillLater);
    // committed after the read of the file began: not in what it reads
    keys.added(KeysInTheFile.stream("committed-while-the-file-is-read"));
    keys.batchCommitted();

    fills.remove(0).run();

    assertThat(keys.mayHold(KeysInTheFile.stream("committed-while-the-file-is-read"))).isTrue();
    assertThat(keys.mayHold(KeysInTheFile.stream("never"))).isFalse();
  }

  /** Runs a fill when the test says, on the test's connection, as a reader connection would. */
  private Future<Void> fillLater(KeysInTheFile.ReadWork work) {
    Promise<Void> filled = Promise.promise();
    fills.add(() -> {
      try {
        work.run(file);
        filled.complete();
      } catch (Exception e) {
        filled.fail(e);
      }
    });
    return filled.future();
  }

  private void insertStream(String streamId, int events) throws SQLException {
    try (Statement statement = file.createStatement()) {
      for (int version = 1; version <= events; version++) {
        statement.execute("INSERT INTO events (stream_id, version, event_id, type, subject, envelope) VALUES ('"
            + streamId + "', " + version + ", '" + streamId + "/" + version + "', 'OrderPlaced', 's', '{}')");
      }
    }
  }

  private void insertDocument(String collection, String id) throws SQLException {
    try (Statement statement = file.createStatement()) {
      statement.execute("INSERT INTO documents (collection, id, revision, body) VALUES ('" + collection + "', '"
          + id + "', 1, '{}')");
    }
  }
}
