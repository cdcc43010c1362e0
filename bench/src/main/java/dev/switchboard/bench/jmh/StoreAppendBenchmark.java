package dev.switchboard.bench.jmh;

import dev.switchboard.app.config.Configuration;
import dev.switchboard.bench.WorkFolder;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoreFactory;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.TestEvents;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The embedded store's append path (validation, optimistic concurrency, outbox, the single writer's
 * group commit): batches of new one-event streams committed at once, in events per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class StoreAppendBenchmark {

  @Param({"1", "64"})
  public int concurrentCommits;

  private Vertx vertx;
  private WorkFolder folder;
  private EventStore store;

  @Setup
  public void setUp() throws Exception {
    vertx = Vertx.vertx();
    folder = WorkFolder.create("switchboard-jmh-");
    // the defaults the app jar carries, not config/default.json found from the working directory
    // (TestStores'), so that the benchmark runs from any folder; synchronous=NORMAL as in the tests
    JsonObject settings = Configuration.defaults().getJsonObject("store").getJsonObject("embedded").copy()
        .put("path", folder.path().resolve(TestStores.FILE_NAME).toString()).put("synchronous", "NORMAL");
    store = StoreFactory.of("embedded").open(vertx, TestStores.schemas(), settings)
        .toCompletionStage().toCompletableFuture().get();
  }

  @TearDown
  public void tearDown() throws Exception {
    store.close().toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
    folder.close();
  }

  /** One operation: {@code concurrentCommits} commits of one event each, waited for together. */
  @Benchmark
  public Object commit() throws Exception {
    List<Future<?>> commits = new ArrayList<>(concurrentCommits);
    for (int i = 0; i < concurrentCommits; i++) {
      EventEnvelope placed = TestEvents.orderPlaced(TestEvents.newOrderId());
      commits.add(store.commit(UnitOfWork.of(new StreamAppend("orders/" + placed.subject(), ExpectedVersion.NONE,
          List.of(placed)))));
    }
    return Future.all(commits).toCompletionStage().toCompletableFuture().get();
  }
}
