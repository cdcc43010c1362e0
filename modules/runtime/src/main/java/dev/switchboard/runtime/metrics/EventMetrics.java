package dev.switchboard.runtime.metrics;

import dev.switchboard.runtime.store.StoredEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.vertx.core.Future;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The eventing machinery's meters, in Prometheus naming once scraped ({@code switchboard_…}): events
 * appended, published and handled, handler latency, retries and dead letters per consumer and type.
 * Gauges of backlogs and lags are kept by {@link LagMonitor}, which also runs the readings modules
 * register for gauges of their own.
 */
public final class EventMetrics {

  private final MeterRegistry registry;
  private final Map<String, Set<String>> logReaders = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  private final Map<String, Supplier<Future<?>>> readings = new ConcurrentHashMap<>();
  private final Map<String, Counter> appendedByType = new ConcurrentHashMap<>();
  private final Map<String, Map<String, Counter>> publishedByTransport = new ConcurrentHashMap<>();
  private final Map<Deliveries, Counter> handled = new ConcurrentHashMap<>();
  private final Map<Handling, Timer> handlerDurations = new ConcurrentHashMap<>();

  /** The events a consumer handled of one type. */
  private record Handling(String consumer, String type) {
  }

  /** Deliveries of one type to a consumer that ended alike. */
  private record Deliveries(Handling handling, String outcome) {
  }

  public EventMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** Meters that measure nothing, for code run without a registry (unit tests, tools). */
  public static EventMetrics none() {
    return new EventMetrics(new CompositeMeterRegistry());
  }

  public MeterRegistry registry() {
    return registry;
  }

  /**
   * A gauge that shows the last value set: for figures read from the store or a broker at
   * intervals, so that a scrape never waits on I/O. The same name and tags give the same gauge.
   */
  public AtomicLong gauge(String name, Map<String, String> tags, String description) {
    return gauges.computeIfAbsent(name + tags, key -> {
      AtomicLong value = new AtomicLong();
      Gauge.Builder<AtomicLong> builder = Gauge.builder(name, value, AtomicLong::get).description(description);
      tags.forEach(builder::tag);
      builder.register(registry);
      return value;
    });
  }

  /**
   * Has {@code reading} run at every interval of the {@link LagMonitor} (a module's own gauges, read
   * from its read models); a failed reading is logged, once until it succeeds again. Run the
   * returned action to stop it.
   */
  public Runnable readEachInterval(String name, Supplier<Future<?>> reading) {
    readings.put(name, reading);
    return () -> readings.remove(name, reading);
  }

  /** Runs every reading once, now (the {@link LagMonitor} runs them at its intervals). */
  public Future<Void> readAllNow() {
    return Future.all(readings.values().stream().map(Supplier::get).toList()).mapEmpty();
  }

  /** The readings modules asked for, by name. */
  Map<String, Supplier<Future<?>>> readings() {
    return Map.copyOf(readings);
  }

  /** A consumer that reads the log from a checkpoint (on the local transport): its lag is measured. */
  public void readsLog(String consumer, Set<String> types) {
    logReaders.put(consumer, Set.copyOf(types));
  }

  /** The consumers reading the log, with the types each reads. */
  Map<String, Set<String>> logReaders() {
    return logReaders;
  }

  /**
   * Exports a consumer's retry and dead-letter series at zero before anything happens, so that
   * rates and alerts over them work from the start (a series that appears only with its first
   * increment hides that increment from {@code rate()}).
   */
  public void consumerStarted(String consumer, Set<String> types) {
    for (String type : types) {
      Counter.builder("switchboard.consumer.retries").tag("consumer", consumer).tag("type", type).register(registry);
      Counter.builder("switchboard.dead.letters").tag("consumer", consumer).tag("type", type).register(registry);
    }
  }

  /** Called on the thread that committed the events: the embedded store's single writer, so kept to a lookup. */
  public void appended(List<StoredEvent> events) {
    events.forEach(event -> appendedByType.computeIfAbsent(MetricLabels.eventType(event.type()),
        type -> Counter.builder("switchboard.events.appended")
            .description("Events appended to the log by this node")
            .tag("type", type).register(registry)).increment());
  }

  /** With the local transport, called on the committing thread too: kept to a lookup per event, like {@link #appended}. */
  public void published(String transport, List<StoredEvent> events) {
    Map<String, Counter> byType = publishedByTransport.computeIfAbsent(transport, name -> new ConcurrentHashMap<>());
    events.forEach(event -> byType.computeIfAbsent(MetricLabels.eventType(event.type()),
        type -> Counter.builder("switchboard.events.published")
            .description("Events the transport confirmed as published")
            .tag("type", type).tag("transport", transport).register(registry)).increment());
  }

  /**
   * One delivery to a consumer ended.
   *
   * @param outcome {@code handled}, {@code duplicate}, {@code dead_lettered} or {@code failed}
   */
  public void delivered(String consumer, String anyType, String outcome, Duration took) {
    Handling handling = new Handling(consumer, MetricLabels.eventType(anyType));
    // looked up in maps of our own: registering again for every event built its tags and id each time
    handled.computeIfAbsent(new Deliveries(handling, outcome), series -> Counter.builder("switchboard.events.handled")
        .description("Deliveries to consumers, by how they ended")
        .tag("consumer", consumer).tag("type", handling.type()).tag("outcome", outcome).register(registry))
        .increment();
    handlerDurations.computeIfAbsent(handling, series -> Timer.builder("switchboard.handler.duration")
        .description("Time from delivery to acknowledgement, retries included")
        .tag("consumer", consumer).tag("type", handling.type())
        .publishPercentileHistogram()
        .register(registry)).record(took);
  }

  public void retried(String consumer, String anyType) {
    String type = MetricLabels.eventType(anyType);
    Counter.builder("switchboard.consumer.retries")
        .description("Handler attempts that failed and were retried")
        .tag("consumer", consumer).tag("type", type).register(registry).increment();
  }

  /** @param anyType the event's type, as it came (a type the catalog does not know counts as {@value MetricLabels#OTHER}) */
  public void deadLettered(String consumer, String anyType) {
    String type = MetricLabels.eventType(anyType);
    Counter.builder("switchboard.dead.letters")
        .description("Events set aside as dead letters")
        .tag("consumer", consumer).tag("type", type).register(registry).increment();
  }
}
