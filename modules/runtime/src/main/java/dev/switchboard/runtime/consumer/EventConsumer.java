package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A named consumer and the handler of each event type it subscribes to. The name is the consumer
 * group (Kafka), the queue (RabbitMQ) and the key of its inbox and checkpoint: keep it stable.
 */
public final class EventConsumer {

  private final String name;
  private final Map<String, Route<?>> routes;
  private final BatchHandler batches;

  private EventConsumer(String name, Map<String, Route<?>> routes, BatchHandler batches) {
    this.name = name;
    this.routes = Collections.unmodifiableMap(routes);
    this.batches = batches;
  }

  public static Builder named(String name) {
    return new Builder(name);
  }

  public String name() {
    return name;
  }

  public Set<String> types() {
    return routes.keySet();
  }

  /** The handler of events decided together, for a consumer built {@link Builder#inBatches in batches}. */
  Optional<BatchHandler> batches() {
    return Optional.ofNullable(batches);
  }

  Optional<Route<?>> route(String type) {
    return Optional.ofNullable(routes.get(type));
  }

  record Route<T extends Record>(EventType<T> type, EventHandler<T> handler) {
  }

  public static final class Builder {
    private final String name;
    private final Map<String, Route<?>> routes = new LinkedHashMap<>();
    private BatchHandler batches;

    private Builder(String name) {
      this.name = name;
    }

    public <T extends Record> Builder on(EventType<T> type, EventHandler<T> handler) {
      if (routes.putIfAbsent(type.name(), new Route<>(type, handler)) != null) {
        throw new IllegalArgumentException(name + " already handles " + type.name());
      }
      return this;
    }

    /**
     * Decides the events of these types in batches, for a consumer whose decisions share state
     * (the stock every order draws on): whatever has arrived while the previous batch was being
     * decided and committed is decided next, together, on the state that batch committed, and
     * committed in one transaction. One batch at a time, so every decision is made on committed
     * state, and the next one waits for nothing but the commit before it.
     */
    @SafeVarargs
    public final Builder inBatches(BatchHandler handler, EventType<? extends Record>... types) {
      for (EventType<? extends Record> type : types) {
        onEach(type, handler);
      }
      this.batches = handler;
      return this;
    }

    private <T extends Record> void onEach(EventType<T> type, BatchHandler handler) {
      on(type, event -> handler.handle(List.of(event)));
    }

    public EventConsumer build() {
      if (routes.isEmpty()) {
        throw new IllegalStateException("consumer " + name + " handles no event type");
      }
      return new EventConsumer(name, new LinkedHashMap<>(routes), batches);
    }
  }
}
