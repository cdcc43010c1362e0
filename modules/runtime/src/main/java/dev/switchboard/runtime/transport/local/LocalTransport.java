package dev.switchboard.runtime.transport.local;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import java.util.List;
import java.util.Set;

/**
 * The default transport: the Vert.x event bus carries the news that events were appended; each
 * consumer then reads them from the store, from its own checkpoint.
 *
 * <p>The store is the durable queue: the bus is only a wake-up call. So a consumer that was down,
 * or missed a wake-up, catches up from where it stopped, and publishing is durable the moment the
 * events are committed. A periodic poll is the safety net under lost wake-ups.
 */
public final class LocalTransport implements Transport {

  /** Carries the highest appended position, to wake tailers. */
  public static final String APPENDED_ADDRESS = "switchboard.log.appended";

  private final Vertx vertx;
  private final EventStore store;
  private final LocalTransportSettings settings;

  public LocalTransport(Vertx vertx, EventStore store, LocalTransportSettings settings) {
    this.vertx = vertx;
    this.store = store;
    this.settings = settings;
  }

  @Override
  public String name() {
    return "local";
  }

  @Override
  public Future<Void> publish(List<StoredEvent> events) {
    if (!events.isEmpty()) {
      vertx.eventBus().publish(APPENDED_ADDRESS, events.get(events.size() - 1).position());
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Subscription> subscribe(String consumer, Set<String> types, Inbound inbound) {
    LogTailer tailer = new LogTailer(vertx, store, consumer, types, inbound, settings);
    MessageConsumer<Long> wakeUps = vertx.eventBus().localConsumer(APPENDED_ADDRESS, message -> tailer.wake());
    // appends of other nodes sharing the store (PostgreSQL's NOTIFY) wake the tailer too
    store.onAppended(tailer::wake);
    return wakeUps.completion()
        .compose(v -> tailer.start())
        .map(v -> (Subscription) new LocalSubscription(tailer, wakeUps));
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private record LocalSubscription(LogTailer tailer, MessageConsumer<Long> wakeUps) implements Subscription {

    @Override
    public String consumer() {
      return tailer.consumer();
    }

    @Override
    public Future<Void> close() {
      return wakeUps.unregister().compose(v -> tailer.stop());
    }
  }
}
