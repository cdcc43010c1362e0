package dev.switchboard.runtime.transport.local;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.Registration;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Inbound;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * The default transport: the log is the queue. Each consumer reads the store from its own
 * checkpoint, woken by the store after each commit (and, on PostgreSQL, by other nodes' appends).
 *
 * <p>So a consumer that was down, or missed a wake-up, catches up from where it stopped, and an
 * event is delivered the moment it is committed: nothing is published. A periodic poll is the
 * safety net under lost wake-ups.
 */
public final class LocalTransport implements Transport {

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

  /** Nothing to do: the events are in the log, where the consumers read them. */
  @Override
  public Future<Void> publish(List<StoredEvent> events) {
    return Future.succeededFuture();
  }

  @Override
  public boolean consumersReadTheLog() {
    return true;
  }

  /**
   * Reads the consumer's events from the log: the whole of it, or each of its
   * {@link LocalTransportSettings#lanes()} lanes that this node takes within its share of them.
   */
  @Override
  public Future<Subscription> subscribe(String consumer, Set<String> types, Inbound inbound) {
    LaneShare share = new LaneShare(consumer, settings.lanes(), store.leases());
    List<LogTailer> tailers = IntStream.range(0, settings.lanes())
        .mapToObj(index -> new LogTailer(vertx, store, consumer, types, inbound, settings,
            new Lane(index, settings.lanes()), share))
        .toList();
    List<Registration> wakeUps = tailers.stream().map(tailer -> store.onAppended(types, tailer::wake)).toList();
    return Future.all(tailers.stream().map(LogTailer::start).toList())
        .map(v -> (Subscription) new LocalSubscription(consumer, tailers, wakeUps));
  }

  @Override
  public Future<Void> ping() {
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> close() {
    return Future.succeededFuture();
  }

  private record LocalSubscription(String consumer, List<LogTailer> tailers, List<Registration> wakeUps)
      implements Subscription {

    @Override
    public Future<Void> close() {
      wakeUps.forEach(Registration::cancel);
      return Future.join(tailers.stream().map(LogTailer::stop).toList()).mapEmpty();
    }
  }
}
