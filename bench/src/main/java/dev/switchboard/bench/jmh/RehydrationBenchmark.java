package dev.switchboard.bench.jmh;

import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.orders.OrderConfirmed;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.orders.domain.Order;
import dev.switchboard.orders.domain.OrderState;
import dev.switchboard.runtime.testing.TestEvents;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Loading an order: decoding its stored events' data and folding them into its state. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class RehydrationBenchmark {

  private JsonObject placed;
  private JsonObject confirmed;

  @Setup
  public void setUp() {
    placed = TestEvents.orderPlaced("order-1").data();
    confirmed = TestEvents.orderConfirmed("order-1").data();
  }

  @Benchmark
  public OrderState rehydrate() {
    List<Record> history = List.of(EventData.decode(placed, OrderPlaced.class),
        EventData.decode(confirmed, OrderConfirmed.class));
    return Order.replay("order-1", history);
  }
}
