package dev.switchboard.orders.readmodel;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.orders.domain.OrderStatus;
import dev.switchboard.runtime.metrics.EventMetrics;
import dev.switchboard.runtime.projection.ReadModel;
import dev.switchboard.runtime.projection.Rows;
import dev.switchboard.runtime.store.ReadModelReads;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * The order saga's instances by state, for operators: how many orders wait for stock or payment
 * ({@code PENDING}) and how many ended each way. Kept as a read model (a row per state, counted as
 * the order events pass in log order), so that the count costs nothing to read, survives restarts
 * and can be rebuilt from the log like any other; exported as the gauge
 * {@code switchboard_saga_instances{saga="order",state}}.
 */
public final class SagaStates {

  public static final String NAME = "order_saga_states";
  static final String GAUGE = "switchboard.saga.instances";
  private static final List<OrderStatus> STATES = List.of(OrderStatus.PENDING, OrderStatus.CONFIRMED, OrderStatus.CANCELLED);

  private SagaStates() {
  }

  public static ReadModel readModel() {
    return ReadModel.named(NAME)
        // a row per state: a batch reads the rows of the states its events count in or out at once
        .on(EventCatalog.ORDER_PLACED, event -> List.of(OrderStatus.PENDING.name()),
            (event, rows) -> add(rows, OrderStatus.PENDING, 1))
        // a final order stays final (the saga refuses a second ending), so every ending leaves PENDING
        .on(EventCatalog.ORDER_CONFIRMED, event -> List.of(OrderStatus.PENDING.name(), OrderStatus.CONFIRMED.name()),
            (event, rows) -> move(rows, OrderStatus.CONFIRMED))
        .on(EventCatalog.ORDER_CANCELLED, event -> List.of(OrderStatus.PENDING.name(), OrderStatus.CANCELLED.name()),
            (event, rows) -> move(rows, OrderStatus.CANCELLED))
        .build();
  }

  /** Reads the counts into the gauges at every metrics interval; run the returned action to stop. */
  public static Runnable exportGauges(ReadModelReads readModels, EventMetrics metrics) {
    return metrics.readEachInterval("the order saga's states", () -> Future.all(STATES.stream()
        .map(state -> readModels.row(NAME, state.name()).onSuccess(row -> metrics.gauge(GAUGE,
                Map.of("saga", "order", "state", state.name()), "Saga instances in each state")
            .set(row.map(body -> body.getLong("instances")).orElse(0L))))
        .toList()));
  }

  private static Future<Void> move(Rows rows, OrderStatus to) {
    return add(rows, OrderStatus.PENDING, -1).compose(v -> add(rows, to, 1));
  }

  private static Future<Void> add(Rows rows, OrderStatus state, long delta) {
    return rows.get(state.name()).map(row -> {
      long instances = row.map(body -> body.getLong("instances")).orElse(0L) + delta;
      rows.put(state.name(), new JsonObject().put("state", state.name()).put("instances", instances));
      return null;
    });
  }
}
