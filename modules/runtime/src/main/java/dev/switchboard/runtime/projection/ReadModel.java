package dev.switchboard.runtime.projection;

import dev.switchboard.contracts.EventType;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A projection of events into a table of rows, maintained from the log in log order with a
 * checkpoint, and rebuildable from position zero. The name is the table's: keep it stable.
 *
 * <pre>{@code
 * ReadModel.named("orders")
 *     .on(EventCatalog.ORDER_PLACED, (event, rows) -> { rows.put(event.subject(), ...); return done; })
 *     .build();
 * }</pre>
 */
public final class ReadModel {

  private final String name;
  private final Map<String, Route<?>> routes;
  private final boolean rowsBySubject;

  private ReadModel(String name, Map<String, Route<?>> routes, boolean rowsBySubject) {
    this.name = name;
    this.routes = Collections.unmodifiableMap(routes);
    this.rowsBySubject = rowsBySubject;
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

  /** Whether its projectors read the rows of their events' subjects (see {@link Builder#rowsBySubject}). */
  boolean rowsBySubject() {
    return rowsBySubject;
  }

  Optional<Route<?>> route(String type) {
    return Optional.ofNullable(routes.get(type));
  }

  /** @param rowKeys the rows its projector reads for an event, or null if the model does not say */
  record Route<T extends Record>(EventType<T> type, RowKeys<T> rowKeys, Projector<T> projector) {
  }

  public static final class Builder {
    private final String name;
    private final Map<String, Route<?>> routes = new LinkedHashMap<>();
    private boolean rowsBySubject;

    private Builder(String name) {
      this.name = dev.switchboard.runtime.store.ReadModelStore.checkName(name);
    }

    public <T extends Record> Builder on(EventType<T> type, Projector<T> projector) {
      return route(new Route<>(type, null, projector));
    }

    /**
     * As {@link #on(EventType, Projector)}, saying which rows the projector reads for an event: each
     * batch reads the rows of all its events in one query before it projects, instead of one query
     * per row. The projector may still read other rows; each is read when asked for.
     */
    public <T extends Record> Builder on(EventType<T> type, RowKeys<T> rowKeys, Projector<T> projector) {
      return route(new Route<>(type, rowKeys, projector));
    }

    private Builder route(Route<?> route) {
      if (routes.putIfAbsent(route.type().name(), route) != null) {
        throw new IllegalArgumentException(name + " already projects " + route.type().name());
      }
      return this;
    }

    /**
     * Says that the rows its projectors read are keyed by the events' subjects (an order's row by
     * the order id): each batch then reads those rows in one query before it projects, instead of
     * one query per event. A projector may still read other rows; each is read when asked for.
     */
    public Builder rowsBySubject() {
      this.rowsBySubject = true;
      return this;
    }

    public ReadModel build() {
      if (routes.isEmpty()) {
        throw new IllegalStateException(name + " projects no event type");
      }
      return new ReadModel(name, new LinkedHashMap<>(routes), rowsBySubject);
    }
  }
}
