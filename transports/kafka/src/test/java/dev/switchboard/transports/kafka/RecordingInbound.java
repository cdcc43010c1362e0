package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.transport.Delivery;
import dev.switchboard.runtime.transport.Inbound;
import io.vertx.core.Future;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * The consumer's real inbound, noting every event the transport delivers (redeliveries included,
 * before the inbox can tell them apart), and able to fail deliveries as an unavailable store would.
 */
final class RecordingInbound implements Inbound {

  private final Inbound delegate;
  private final List<String> delivered = new CopyOnWriteArrayList<>();
  private final Function<StoredEvent, Future<Void>> fault;

  RecordingInbound(Inbound delegate) {
    this(delegate, event -> Future.succeededFuture());
  }

  /** @param fault runs before each delivery; when it fails, the delivery fails with it, nothing recorded */
  RecordingInbound(Inbound delegate, Function<StoredEvent, Future<Void>> fault) {
    this.delegate = delegate;
    this.fault = fault;
  }

  @Override
  public Future<Delivery> deliver(StoredEvent event) {
    delivered.add(event.id());
    return fault.apply(event).compose(v -> delegate.deliver(event));
  }

  @Override
  public Future<Delivery> unreadable(String payload, String reason) {
    return delegate.unreadable(payload, reason);
  }

  /** Ids of the events delivered, in order, as often as they were delivered. */
  List<String> delivered() {
    return List.copyOf(delivered);
  }

  List<String> deliveredOf(List<String> ids) {
    return delivered.stream().filter(ids::contains).toList();
  }
}
