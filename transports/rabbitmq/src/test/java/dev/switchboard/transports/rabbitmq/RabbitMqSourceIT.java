package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Source;
import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The RabbitMQ source on its own, without the runtime's engine: how its messages are settled. A
 * delivery tag acknowledged twice would make the broker close the consuming channel, and every
 * consumer on it; a tag of a lost link means nothing on the next.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class RabbitMqSourceIT {

  private static final AtomicInteger NAMES = new AtomicInteger();
  private static RabbitMqBroker broker;

  private Vertx vertx;
  private RabbitMqWire wire;

  @BeforeAll
  static void createTheVirtualHost() {
    broker = RabbitMqBroker.create();
  }

  @AfterAll
  static void deleteTheVirtualHost() {
    broker.close();
  }

  @BeforeEach
  void openTheWire() {
    vertx = Vertx.vertx();
    wire = RabbitMqWire.create(vertx, RabbitMqTestSettings.defaults(broker.uri()).withReconnectIntervalMillis(200));
    Await.until("the wire answers pings", () -> wire.ping().toCompletionStage().toCompletableFuture()
        .handle((ok, failure) -> failure == null).join());
  }

  @AfterEach
  void closeTheWire() {
    try {
      result(wire.close());
    } finally {
      result(vertx.close());
    }
  }

  @Test
  void a_message_is_settled_once_and_held_no_more_after_and_the_channel_stays_open() {
    String consumer = "settled-" + NAMES.incrementAndGet();
    List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    Source source = result(wire.open(consumer, Set.of("OrderPlaced"), arrivals::add));
    result(wire.send(List.of(Outgoing.event(orderPlaced(newOrderId())), Outgoing.event(orderPlaced(newOrderId())))));
    Await.until("both messages arrive", () -> arrivals.size() == 2);
    Arrival first = arrivals.get(0);
    Arrival second = arrivals.get(1);
    assertThat(first.held()).isTrue();

    result(first.acknowledge());
    result(first.acknowledge());
    result(first.release());
    result(second.acknowledge());

    assertThat(first.held()).isFalse();
    Await.until("the queue is empty", () -> broker.depth(Names.queueOf(consumer)).total() == 0);
    result(wire.send(List.of(Outgoing.event(orderPlaced(newOrderId())))));
    Await.until("the same consumer goes on receiving: its channel was never closed", () -> arrivals.size() == 3);
    assertThat(arrivals.get(2).where()).contains("link #1");
    result(arrivals.get(2).acknowledge());
    result(source.stop());
    result(source.close());
  }

  @Test
  void what_is_released_after_the_source_stopped_goes_back_to_its_place() {
    String consumer = "given-back-" + NAMES.incrementAndGet();
    List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    Source source = result(wire.open(consumer, Set.of("OrderPlaced"), arrivals::add));
    result(wire.send(List.of(Outgoing.event(orderPlaced(newOrderId())), Outgoing.event(orderPlaced(newOrderId())),
        Outgoing.event(orderPlaced(newOrderId())))));
    Await.until("the messages arrive", () -> arrivals.size() == 3);
    List<String> bodies = arrivals.stream().map(arrival -> new String(arrival.body(), StandardCharsets.UTF_8)).toList();
    result(arrivals.get(1).acknowledge());

    result(source.stop()); // as the runtime closes: stop, give back what it did not settle, close
    result(arrivals.get(0).release());
    result(arrivals.get(2).release());
    result(source.close());

    assertThat(arrivals.get(0).held()).as("given back").isFalse();
    result(arrivals.get(0).acknowledge()); // too late: does nothing, and closes nothing
    Await.until("the two it did not settle are back", () -> broker.depth(Names.queueOf(consumer)).ready() == 2);
    assertThat(broker.peek(Names.queueOf(consumer))).extracting(RabbitMqBroker.Message::body)
        .containsExactly(bodies.get(0), bodies.get(2));
  }

  @Test
  void a_message_of_a_lost_link_is_held_no_more_and_comes_again_on_the_next() {
    String consumer = "cut-off-" + NAMES.incrementAndGet();
    List<Arrival> arrivals = new CopyOnWriteArrayList<>();
    Source source = result(wire.open(consumer, Set.of("OrderPlaced"), arrivals::add));
    result(wire.send(List.of(Outgoing.event(orderPlaced(newOrderId())))));
    Await.until("the message arrives", () -> arrivals.size() == 1);
    Arrival onTheLostLink = arrivals.get(0);

    broker.closeConnections();

    Await.until("it is held no more", () -> !onTheLostLink.held());
    Await.until("it comes again on the next link", () -> arrivals.size() == 2);
    Arrival again = arrivals.get(1);
    assertThat(again.body()).isEqualTo(onTheLostLink.body());
    result(onTheLostLink.acknowledge()); // its tag is the new one's on the new link: nothing may be sent
    assertThat(again.held()).isTrue();
    assertThat(broker.depth(Names.queueOf(consumer)).unacknowledged()).as("the new one is not acknowledged")
        .isEqualTo(1);
    result(again.acknowledge());
    Await.until("the queue is empty", () -> broker.depth(Names.queueOf(consumer)).total() == 0);
    result(source.stop());
    result(source.close());
  }
}
