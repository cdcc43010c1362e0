package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventType;

import java.util.Collections;
import java.util.LinkedHashMap;
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
  private final boolean oneAtATime;

  private EventConsumer(String name, Map<String, Route<?>> routes, boolean oneAtATime) {
    this.name = name;
    this.routes = Collections.unmodifiableMap(routes);
    this.oneAtATime = oneAtATime;
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

  /**
   * Whether events must be handled one at a time whatever their subject: for a consumer whose state
   * is shared across subjects (stock shared by every order), where handling orders side by side
   * would only make their writes conflict.
   */
  public boolean oneAtATime() {
    return oneAtATime;
  }

  Optional<Route<?>> route(String type) {
    return Optional.ofNullable(routes.get(type));
  }

  record Route<T extends Record>(EventType<T> type, EventHandler<T> handler) {
  }

  public static final class Builder {
    private final String name;
    private final Map<String, Route<?>> routes = new LinkedHashMap<>();
    private boolean oneAtATime;

    private Builder(String name) {
      this.name = name;
    }

    public <T extends Record> Builder on(EventType<T> type, EventHandler<T> handler) {
      if (routes.putIfAbsent(type.name(), new Route<>(type, handler)) != null) {
        throw new IllegalArgumentException(name + " already handles " + type.name());
      }
      return this;
    }

    /** Handle one event at a time, across all subjects (see {@link EventConsumer#oneAtATime()}). */
    public Builder oneAtATime() {
      this.oneAtATime = true;
      return this;
    }

    public EventConsumer build() {
      if (routes.isEmpty()) {
        throw new IllegalStateException("consumer " + name + " handles no event type");
      }
      return new EventConsumer(name, new LinkedHashMap<>(routes), oneAtATime);
    }
  }
}
