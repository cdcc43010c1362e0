package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.store.ConcurrencyConflict;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.runtime.testing.Await.failure;
import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.append;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderConfirmed;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The writer remembers streams' versions and documents' revisions instead of reading them back;
 * what it remembers must agree with the file whatever became of the writes of a batch. Each test
 * holds the writer while it queues writes, so that they run together in one batch.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteKnownVersionsTest {

  private static final String DOCS = "test-docs";

  @TempDir
  Path dir;

  private SqliteEventStore store;

  @BeforeEach
  void open(Vertx vertx) {
    store = (SqliteEventStore) result(TestStores.embedded(vertx, dir));
  }

  @AfterEach
  void close() {
    result(store.close());
  }

  @Test
  void a_write_rolled_back_in_a_batch_leaves_nothing_of_its_versions_to_the_writes_after_it() throws Exception {
    String order = newOrderId();
    String stream = Streams.of("orders", order);
    result(store.commit(startStream(orderPlaced(order)).and(document("d", ExpectedVersion.NONE))));

    CountDownLatch release = holdWriter();
    Future<List<StoredEvent>> appended = store.commit(UnitOfWork.of(append(1, orderConfirmed(order))));
    Future<List<StoredEvent>> conflicting = store.commit(UnitOfWork.of(append(1, orderConfirmed(order))));
    // appends (staging version 3), then fails on its document: rolled back to its savepoint
    Future<List<StoredEvent>> rolledBack = store.commit(UnitOfWork.of(append(2, orderConfirmed(order)))
        .and(document("d", 7)));
    Future<List<StoredEvent>> afterIt = store.commit(UnitOfWork.of(append(2, orderConfirmed(order))));
    Future<List<StoredEvent>> documentAfterIt = store.commit(UnitOfWork.NOTHING.and(document("d", 1)));
    release.countDown();

    assertThat(sequences(result(appended))).containsExactly(2L);
    assertThat(failure(conflicting)).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("at version 2");
    assertThat(failure(rolledBack)).isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("revision 1");
    assertThat(sequences(result(afterIt))).as("version 3 of the rolled back write is not remembered")
        .containsExactly(3L);
    result(documentAfterIt);
    // and after the batch committed
    assertThat(failure(store.commit(UnitOfWork.of(append(2, orderConfirmed(order))))))
        .isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("at version 3");
    assertThat(sequences(result(store.commit(UnitOfWork.of(append(3, orderConfirmed(order))))))).containsExactly(4L);
    assertThat(sequences(result(store.readStream(stream)))).containsExactly(1L, 2L, 3L, 4L);
    assertThat(revision("d")).isEqualTo(2);
    assertThat(failure(store.commit(UnitOfWork.NOTHING.and(document("d", 1))))).isInstanceOf(ConcurrencyConflict.class);
    result(store.commit(UnitOfWork.NOTHING.and(document("d", 2))));
  }

  @Test
  void after_a_failed_batch_the_writer_goes_by_the_file_again() throws Exception {
    String order = newOrderId();
    String stream = Streams.of("orders", order);
    result(store.commit(startStream(orderPlaced(order)).and(document("d", ExpectedVersion.NONE))));
    result(store.commit(UnitOfWork.NOTHING.and(document("d", 1))));

    CountDownLatch release = holdWriter();
    Future<List<StoredEvent>> appended = store.commit(UnitOfWork.of(append(1, orderConfirmed(order))));
    Future<List<StoredEvent>> written = store.commit(UnitOfWork.NOTHING.and(document("d", 2)));
    Future<Void> breaker = breakTheBatch();
    release.countDown();

    assertThat(failure(appended)).isInstanceOf(StoreUnavailable.class);
    assertThat(failure(written)).isInstanceOf(StoreUnavailable.class);
    assertThat(failure(breaker)).isInstanceOf(StoreUnavailable.class);
    assertThat(sequences(result(store.readStream(stream)))).containsExactly(1L);
    assertThat(failure(store.commit(UnitOfWork.of(append(2, orderConfirmed(order))))))
        .isInstanceOf(ConcurrencyConflict.class).hasMessageContaining("at version 1");
    assertThat(sequences(result(store.commit(UnitOfWork.of(append(1, orderConfirmed(order))))))).containsExactly(2L);
    assertThat(revision("d")).isEqualTo(2);
    assertThat(failure(store.commit(UnitOfWork.NOTHING.and(document("d", 3))))).isInstanceOf(ConcurrencyConflict.class);
    result(store.commit(UnitOfWork.NOTHING.and(document("d", 2))));
    assertThat(revision("d")).isEqualTo(3);
  }

  @Test
  void should_the_memory_be_wrong_the_files_guards_refuse_the_write_and_the_next_one_goes_by_the_file() {
    String order = newOrderId();
    String stream = Streams.of("orders", order);
    StoredEvent first = result(store.commit(startStream(orderPlaced(order)).and(document("d", ExpectedVersion.NONE))))
        .get(0);
    // what no write of the store does: change the file behind the writer's memory
    result(store.write(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("INSERT INTO events (stream_id, version, event_id, type, subject, envelope)"
            + " SELECT stream_id, 2, 'behind-the-back', type, subject, envelope FROM events"
            + " WHERE position = " + first.position());
        statement.execute("UPDATE documents SET revision = 2 WHERE collection = '" + DOCS + "' AND id = 'd'");
      }
      return null;
    }));

    assertThat(failure(store.commit(UnitOfWork.of(append(1, orderConfirmed(order))))))
        .as("the unique (stream, version) key").isInstanceOf(ConcurrencyConflict.class);
    assertThat(failure(store.commit(UnitOfWork.NOTHING.and(document("d", 1)))))
        .as("the revision the upsert expects").isInstanceOf(ConcurrencyConflict.class);

    assertThat(sequences(result(store.commit(UnitOfWork.of(append(2, orderConfirmed(order)))))))
        .containsExactly(3L);
    result(store.commit(UnitOfWork.NOTHING.and(document("d", 2))));
    assertThat(revision("d")).isEqualTo(3);
    // the row slipped in carries a copy of the first envelope, sequence and all
    assertThat(sequences(result(store.readStream(stream)))).containsExactly(1L, 1L, 3L);
  }

  @Test
  void whatever_becomes_of_the_writes_of_random_batches_the_remembered_versions_agree_with_the_file()
      throws Exception {
    long seed = new Random().nextLong();
    Random random = new Random(seed);
    List<String> orders = List.of(newOrderId(), newOrderId(), newOrderId(), newOrderId());
    List<String> documents = List.of("a", "b", "c");
    for (String order : orders) {
      result(store.commit(startStream(orderPlaced(order))));
    }
    for (String id : documents) {
      result(store.commit(UnitOfWork.NOTHING.and(document(id, ExpectedVersion.NONE))));
    }

    for (int round = 0; round < 25; round++) {
      String context = "seed " + seed + ", round " + round;
      Map<String, Long> versions = fileVersions(orders);
      CountDownLatch release = holdWriter();
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String order = orders.get(random.nextInt(orders.size()));
        long expected = switch (random.nextInt(4)) {
          case 0 -> ExpectedVersion.ANY;
          case 1 -> versions.get(order) + random.nextInt(3) - 1; // behind, at, or ahead of the file
          default -> versions.get(order) + random.nextInt(3); // at the file, or at what this batch appended
        };
        UnitOfWork work = UnitOfWork.of(new StreamAppend(Streams.of("orders", order), expected,
            List.of(orderConfirmed(order))));
        String id = documents.get(random.nextInt(documents.size()));
        switch (random.nextInt(4)) {
          case 0 -> work = work.and(document(id, ExpectedVersion.ANY));
          case 1 -> work = work.and(document(id, 1000)); // always conflicts: the whole write rolls back
          case 2 -> work = work.and(document(id, revision(id) + random.nextInt(2)));
          default -> { }
        }
        writes.add(store.commit(work));
      }
      if (random.nextInt(5) == 0) {
        writes.add(breakTheBatch());
      }
      release.countDown();
      for (Future<?> write : writes) {
        write.toCompletionStage().toCompletableFuture().handle((value, error) -> null).get(10, TimeUnit.SECONDS);
      }

      // a write at the version the file holds must pass; were the writer's memory off, it would conflict
      for (String order : orders) {
        long atFile = fileVersions(List.of(order)).get(order);
        List<Long> numbered = sequences(result(store.readStream(Streams.of("orders", order))));
        assertThat(numbered).as(context).isEqualTo(oneTo(atFile));
        assertThat(sequences(result(store.commit(UnitOfWork.of(append(atFile, orderConfirmed(order)))))))
            .as(context).containsExactly(atFile + 1);
      }
      for (String id : documents) {
        long atFile = revision(id);
        assertThat(result(store.document(DOCS, id)).map(Document::revision)).as(context).contains(atFile);
        result(store.commit(UnitOfWork.NOTHING.and(document(id, atFile))));
        assertThat(revision(id)).as(context).isEqualTo(atFile + 1);
      }
    }
  }

  @Test
  void a_document_the_writer_committed_is_read_from_its_memory_with_a_body_of_the_readers_own() {
    result(store.commit(UnitOfWork.NOTHING.and(document("d", ExpectedVersion.NONE))));
    result(store.commit(UnitOfWork.NOTHING.and(document("d", 1))));
    long reads = readsOfTheFile();

    Document first = result(store.document(DOCS, "d")).orElseThrow();
    first.body().put("at", "changed by its reader");
    Document second = result(store.document(DOCS, "d")).orElseThrow();

    assertThat(readsOfTheFile()).as("reads of the file").isEqualTo(reads);
    assertThat(second).isEqualTo(new Document(DOCS, "d", 2, new JsonObject().put("at", 1)));
    assertThat(revision("d")).as("the file").isEqualTo(2);
  }

  @Test
  void a_document_of_a_batch_that_failed_is_read_from_the_file_as_it_was_before() throws Exception {
    result(store.commit(UnitOfWork.NOTHING.and(document("d", ExpectedVersion.NONE))));
    result(store.commit(UnitOfWork.NOTHING.and(document("d", 1))));

    CountDownLatch release = holdWriter();
    Future<List<StoredEvent>> written = store.commit(UnitOfWork.NOTHING.and(document("d", 2)));
    Future<Void> breaker = breakTheBatch();
    release.countDown();
    assertThat(failure(written)).isInstanceOf(StoreUnavailable.class);
    assertThat(failure(breaker)).isInstanceOf(StoreUnavailable.class);
    long reads = readsOfTheFile();

    assertThat(result(store.document(DOCS, "d"))).contains(new Document(DOCS, "d", 2, new JsonObject().put("at", 1)));
    assertThat(readsOfTheFile()).as("reads of the file").isEqualTo(reads + 1);
  }

  @Test
  void a_document_changed_behind_the_writers_back_is_read_from_the_file_once_a_write_finds_out() {
    result(store.commit(UnitOfWork.NOTHING.and(document("d", ExpectedVersion.NONE))));
    result(store.write(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("UPDATE documents SET revision = 5, body = '{\"at\":\"elsewhere\"}'"
            + " WHERE collection = '" + DOCS + "' AND id = 'd'");
      }
      return null;
    }));

    assertThat(failure(store.commit(UnitOfWork.NOTHING.and(document("d", 1))))).isInstanceOf(ConcurrencyConflict.class);

    assertThat(result(store.document(DOCS, "d")))
        .contains(new Document(DOCS, "d", 5, new JsonObject().put("at", "elsewhere")));
  }

  /** Blocks the writer in a write of its own until the latch is counted down. */
  private CountDownLatch holdWriter() throws InterruptedException {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    store.write(connection -> {
      entered.countDown();
      return release.await(10, TimeUnit.SECONDS);
    });
    assertThat(entered.await(10, TimeUnit.SECONDS)).as("the writer took the holding write").isTrue();
    return release;
  }

  /**
   * A write that makes its whole batch fail, standing for any failure of a batch (a failed COMMIT, a
   * full disk): it releases the writer's savepoint itself, so the writer cannot roll back to it.
   */
  private Future<Void> breakTheBatch() {
    return store.write(connection -> {
      try (Statement statement = connection.createStatement()) {
        statement.execute("RELEASE work");
      }
      throw new IllegalStateException("breaks the batch");
    });
  }

  private Map<String, Long> fileVersions(List<String> orders) {
    Map<String, Long> versions = new HashMap<>();
    for (String order : orders) {
      List<StoredEvent> events = result(store.readStream(Streams.of("orders", order)));
      versions.put(order, events.isEmpty() ? 0 : events.get(events.size() - 1).envelope().sequence());
    }
    return versions;
  }

  /** The revision the file holds (a read of the store may be answered from the writer's memory). */
  private long revision(String id) {
    return result(store.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(SqliteSql.SELECT_DOCUMENT_REVISION)) {
        select.setString(1, DOCS);
        select.setString(2, id);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? rows.getLong(1) : 0L;
        }
      }
    }));
  }

  private long readsOfTheFile() {
    return store.statementsSent().reads();
  }

  private static DocumentWrite document(String id, long expectedRevision) {
    return new DocumentWrite(DOCS, id, expectedRevision, new JsonObject().put("at", expectedRevision));
  }

  private static List<Long> sequences(List<StoredEvent> events) {
    return events.stream().map(event -> event.envelope().sequence()).toList();
  }

  private static List<Long> oneTo(long last) {
    List<Long> numbers = new ArrayList<>();
    for (long n = 1; n <= last; n++) {
      numbers.add(n);
    }
    return numbers;
  }
}
