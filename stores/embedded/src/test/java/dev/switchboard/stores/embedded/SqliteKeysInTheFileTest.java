package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/** What the store knows is not in its file, it answers without reading the file; what is, it reads. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SqliteKeysInTheFileTest {

  private static final String DOCS = "test-docs";

  @TempDir
  Path dir;

  private SqliteEventStore store;

  @AfterEach
  void close() {
    if (store != null) {
      result(store.close());
    }
  }

  @Test
  void a_stream_never_begun_and_a_document_never_written_are_read_without_a_query(Vertx vertx) {
    store = open(vertx);
    long reads = store.statementsSent().reads();

    assertThat(result(store.readStream(Streams.of("payments", newOrderId())))).isEmpty();
    assertThat(result(store.document(DOCS, "never-written"))).isEmpty();

    assertThat(store.statementsSent().reads()).as("reads of the file").isEqualTo(reads);
  }

  @Test
  void what_the_file_held_when_the_store_opened_is_read_from_it(Vertx vertx) {
    String order = newOrderId();
    String stream = Streams.of("orders", order);
    store = open(vertx);
    List<StoredEvent> written = result(store.commit(startStream(orderPlaced(order))
        .and(new DocumentWrite(DOCS, order, ExpectedVersion.NONE, new JsonObject().put("total", "12.50")))));
    result(store.close());

    store = open(vertx);

    assertThat(result(store.readStream(stream))).containsExactlyElementsOf(written);
    assertThat(result(store.document(DOCS, order)))
        .contains(new Document(DOCS, order, 1, new JsonObject().put("total", "12.50")));
    assertThat(result(store.readStream(Streams.of("payments", order)))).isEmpty();
  }

  @Test
  void a_stream_begun_and_a_document_created_are_read_at_once_after_their_commit(Vertx vertx) {
    String order = newOrderId();
    store = open(vertx);

    List<StoredEvent> written = result(store.commit(startStream(orderPlaced(order))
        .and(new DocumentWrite(DOCS, order, ExpectedVersion.NONE, new JsonObject().put("n", 1)))));

    assertThat(result(store.readStream(Streams.of("orders", order)))).containsExactlyElementsOf(written);
    assertThat(result(store.document(DOCS, order))).isPresent();
  }

  /** Opens the store, and waits until it has read the keys of its file. */
  private SqliteEventStore open(Vertx vertx) {
    SqliteEventStore opened = (SqliteEventStore) result(TestStores.embedded(vertx, dir));
    result(opened.keysInTheFile().firstFilled());
    return opened;
  }
}
