package dev.switchboard.bench.baseline;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.DefaultConsumer;
import com.rabbitmq.client.Envelope;
import com.rabbitmq.client.MessageProperties;
import dev.switchboard.bench.Result;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.NavigableSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw ceilings of a RabbitMQ broker, as our transport uses it: persistent messages of our
 * events' size published to a durable topic exchange with publisher confirms (at most
 * {@value #WINDOW} unconfirmed at a time), routed to a durable queue; then consumed with manual
 * acknowledgements, one per message, {@value #WINDOW} prefetched.
 */
public final class RabbitMqBaseline {

  private static final int WINDOW = 256;
  private static final String EXCHANGE = "baseline.events";
  private static final String QUEUE = "baseline.queue";

  private final String uri;

  /** @param uri a virtual host of its own, emptied by whoever made it */
  public RabbitMqBaseline(String uri) {
    this.uri = uri;
  }

  /** Two results: the publisher's confirmed messages/s, and the consumer's acknowledged messages/s. */
  public List<Result> run(Duration duration) throws Exception {
    ConnectionFactory factory = new ConnectionFactory();
    factory.setUri(uri);
    try (Connection connection = factory.newConnection("switchboard-bench-baseline")) {
      try (Channel setup = connection.createChannel()) {
        setup.exchangeDeclare(EXCHANGE, "topic", true);
        setup.queueDeclare(QUEUE, true, false, false, null);
        setup.queueBind(QUEUE, EXCHANGE, "orders.#");
      }
      Result published = publish(connection, duration);
      Result consumed = consume(connection, published.details().getLong("messages"), duration);
      return List.of(published, consumed);
    }
  }

  private Result publish(Connection connection, Duration duration) throws Exception {
    byte[] body = SampleRows.ENVELOPE.getBytes(StandardCharsets.UTF_8);
    Semaphore window = new Semaphore(WINDOW);
    ConcurrentSkipListSet<Long> unconfirmed = new ConcurrentSkipListSet<>();
    AtomicLong confirmed = new AtomicLong();
    AtomicLong refused = new AtomicLong();
    try (Channel channel = connection.createChannel()) {
      channel.confirmSelect();
      channel.addConfirmListener((tag, multiple) -> settle(unconfirmed, tag, multiple, window, confirmed),
          (tag, multiple) -> settle(unconfirmed, tag, multiple, window, refused));
      long started = System.nanoTime();
      long until = started + duration.toNanos();
      while (System.nanoTime() < until) {
        window.acquire();
        unconfirmed.add(channel.getNextPublishSeqNo());
        channel.basicPublish(EXCHANGE, "orders.OrderPlaced", MessageProperties.PERSISTENT_TEXT_PLAIN, body);
      }
      channel.waitForConfirmsOrDie(TimeUnit.MINUTES.toMillis(1));
      double seconds = (System.nanoTime() - started) / 1e9;
      if (refused.get() > 0) {
        throw new IllegalStateException("RabbitMQ refused " + refused.get() + " baseline messages");
      }
      return new Result("baseline: RabbitMQ publish, confirms, persistent", "messages", confirmed.get() / seconds,
          new JsonObject().put("messages", confirmed.get()).put("unconfirmedAtMost", WINDOW));
    }
  }

  /** A confirmation covers one publish, or with {@code multiple} every publish up to its tag. */
  private static void settle(ConcurrentSkipListSet<Long> unconfirmed, long tag, boolean multiple, Semaphore window,
                             AtomicLong count) {
    int settled = 0;
    if (multiple) {
      NavigableSet<Long> covered = unconfirmed.headSet(tag, true);
      settled = covered.size();
      covered.clear();
    } else if (unconfirmed.remove(tag)) {
      settled = 1;
    }
    count.addAndGet(settled);
    window.release(settled);
  }

  private Result consume(Connection connection, long expected, Duration limit) throws Exception {
    CountDownLatch all = new CountDownLatch(1);
    AtomicLong acknowledged = new AtomicLong();
    AtomicLong firstAt = new AtomicLong();
    try (Channel channel = connection.createChannel()) {
      channel.basicQos(WINDOW);
      channel.basicConsume(QUEUE, false, new DefaultConsumer(channel) {
        @Override
        public void handleDelivery(String consumerTag, Envelope envelope, AMQP.BasicProperties properties,
                                   byte[] body) throws java.io.IOException {
          firstAt.compareAndSet(0, System.nanoTime());
          channel.basicAck(envelope.getDeliveryTag(), false);
          if (acknowledged.incrementAndGet() == expected) {
            all.countDown();
          }
        }
      });
      all.await(limit.multipliedBy(3).toMillis(), TimeUnit.MILLISECONDS);
      double seconds = firstAt.get() == 0 ? 1 : (System.nanoTime() - firstAt.get()) / 1e9;
      return new Result("baseline: RabbitMQ consume, manual acks", "messages", acknowledged.get() / seconds,
          new JsonObject().put("messages", acknowledged.get()).put("expected", expected).put("prefetch", WINDOW));
    }
  }
}
