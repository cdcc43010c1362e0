package dev.switchboard.runtime.metrics;

import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.outbox.OutboxBacklog;
import dev.switchboard.runtime.store.ProjectionState;
import dev.switchboard.runtime.transport.Transport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Keeps the gauges that need the store or the broker: the outbox backlog and the age of its oldest
 * event, the head of the log, each projection's lag, and each consumer's lag: in events of its
 * types behind the log where consumers read the log (the local transport), as the broker tells it
 * otherwise (Kafka consumer-group lag, messages ready in a RabbitMQ queue). Read every interval, so
 * that a scrape never waits on the database or the broker; a gauge shows the last reading.
 */
public final class LagMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(LagMonitor.class);

  private final Vertx vertx;
  private final EventStore store;
  private final Transport transport;
  private final Supplier<Future<OutboxBacklog>> outboxBacklog;
  private final EventMetrics metrics;
  private final Clock clock;
  private final Set<String> failingReadings = ConcurrentHashMap.newKeySet();
  private final Set<String> readingsUnderWay = ConcurrentHashMap.newKeySet();
  private volatile JsonObject lastReading = new JsonObject();
  private volatile Map<String, Long> transportLag = Map.of();
  private long timer = -1;
  private boolean reading;
  private boolean warned;

  /** @param outboxBacklog what the outbox relay has yet to publish ({@code OutboxRelay.backlog}) */
  public LagMonitor(Vertx vertx, EventStore store, Transport transport, Supplier<Future<OutboxBacklog>> outboxBacklog,
                    EventMetrics metrics, Clock clock) {
    this.vertx = vertx;
    this.store = store;
    this.transport = transport;
    this.outboxBacklog = outboxBacklog;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * The last reading: {@code {at, head, outbox:{backlog, oldest}, projections:{name: lag},
   * consumers:{name: lag}}} (empty before the first reading of the store).
   */
  public JsonObject lastReading() {
    JsonObject reading = lastReading.copy();
    JsonObject consumers = reading.getJsonObject("consumers", new JsonObject());
    transportLag.forEach(consumers::put);
    return reading.put("consumers", consumers);
  }

  public void start(long intervalMillis) {
    timer = vertx.setPeriodic(0, intervalMillis, id -> read());
  }

  public void stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
  }

  private void read() {
    metrics.readings().forEach(this::runReading);
    runReading(transport.name() + " consumer lag", this::readTransport);
    if (reading) {
      return;
    }
    reading = true;
    Future<Long> head = store.readModels().head();
    Future<OutboxBacklog> backlog = outboxBacklog.get();
    Future<java.util.List<ProjectionState>> projections = store.readModels().states();
    Future.all(head, backlog, projections)
        .compose(all -> {
          long position = head.result();
          gauge("switchboard.log.head", Map.of(), "The position of the newest event in the log").set(position);
          OutboxBacklog waiting = backlog.result();
          JsonObject reading = new JsonObject().put("head", position)
              .put("outbox", new JsonObject().put("backlog", waiting.events())
                  .put("oldest", waiting.oldest().map(Object::toString).orElse(null)))
              .put("projections", new JsonObject()).put("consumers", new JsonObject());
          gauge("switchboard.outbox.backlog", Map.of(), "Events stored and not yet confirmed published").set(waiting.events());
          gauge("switchboard.outbox.oldest.age.seconds", Map.of(), "Age of the oldest event waiting in the outbox")
              .set(waiting.oldest().map(oldest -> Math.max(0, Duration.between(oldest, clock.instant()).toSeconds()))
                  .orElse(0L));
          for (ProjectionState state : projections.result()) {
            long behind = Math.max(0, position - state.position());
            gauge("switchboard.projection.lag", Map.of("projection", state.name()),
                "Positions the serving generation of a read model is behind the log").set(behind);
            reading.getJsonObject("projections").put(state.name(), behind);
          }
          return Future.all(metrics.logReaders().entrySet().stream().map(reader -> store.checkpoint(reader.getKey())
              .compose(checkpoint -> store.countAfter(checkpoint, reader.getValue()))
              .map(behind -> {
                consumerLag(reader.getKey()).set(behind);
                reading.getJsonObject("consumers").put(reader.getKey(), behind);
                return null;
              })).toList()).onSuccess(v -> lastReading = reading.put("at", clock.instant().toString()));
        })
        .onComplete(done -> {
          reading = false;
          if (done.failed() && !warned) {
            warned = true;
            LOG.warn("metrics: the store could not be read for the lag gauges: {}", done.cause().toString());
          } else if (done.succeeded()) {
            warned = false;
          }
        });
  }

  /** A module's own reading: its failures are told once, and again only after it has worked. */
  private void runReading(String name, Supplier<Future<?>> reading) {
    if (!readingsUnderWay.add(name)) {
      return;
    }
    Future<?> done;
    try {
      done = reading.get();
    } catch (RuntimeException thrown) {
      done = Future.failedFuture(thrown);
    }
    done.onComplete(result -> {
      readingsUnderWay.remove(name);
      if (result.succeeded()) {
        failingReadings.remove(name);
      } else if (failingReadings.add(name)) {
        LOG.warn("metrics: reading {} failed: {}", name, result.cause().toString());
      }
    });
  }

  private Future<Void> readTransport() {
    return transport.consumerLag().map(lag -> {
      lag.forEach((consumer, behind) -> consumerLag(consumer).set(behind));
      transportLag = Map.copyOf(lag);
      return null;
    });
  }

  private AtomicLong consumerLag(String consumer) {
    return gauge("switchboard.consumer.lag", Map.of("consumer", consumer, "transport", transport.name()),
        "Events a consumer has yet to take: of its types behind the log (local transport), its consumer group's "
            + "lag (Kafka), or the messages ready in its queue (RabbitMQ)");
  }

  private AtomicLong gauge(String name, Map<String, String> tags, String description) {
    return metrics.gauge(name, tags, description);
  }

}
