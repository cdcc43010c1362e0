package dev.switchboard.bench.jmh;

import dev.switchboard.contracts.EventData;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.ExactJson;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.runtime.testing.TestEvents;
import io.vertx.core.json.JsonObject;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * The per-event costs on the hot path: encoding, decoding and validating an envelope, and reading
 * its data into the event's record.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmark {

  private EventEnvelope envelope;
  private String encoded;
  private EventSchemas schemas;
  /** The data as a store hands it over: parsed from text with exact decimals. */
  private JsonObject storedData;

  @Setup
  public void setUp() {
    envelope = TestEvents.orderPlaced("order-1");
    encoded = envelope.toJson().encode();
    schemas = EventSchemas.load();
    storedData = ExactJson.parse(encoded).getJsonObject("data");
  }

  /** As the envelope was written before {@link EventEnvelope#encode()}: its JsonObject built, then encoded. */
  @Benchmark
  public String encodeViaJsonObject() {
    return envelope.toJson().encode();
  }

  /** What the stores write into the log. */
  @Benchmark
  public String encode() {
    return envelope.encode();
  }

  /** What a broker's wire sends. */
  @Benchmark
  public byte[] encodeToUtf8() {
    return envelope.encodeToUtf8();
  }

  @Benchmark
  public EventEnvelope decode() {
    return EventEnvelope.fromJson(new JsonObject(encoded));
  }

  /** What the stores and the brokers' deliveries do: decimals read as written. */
  @Benchmark
  public EventEnvelope decodeExact() {
    return EventEnvelope.fromJson(ExactJson.parse(encoded));
  }

  /** An event's data read into its record, once per event and node. */
  @Benchmark
  public OrderPlaced decodeData() {
    return EventData.decode(storedData, OrderPlaced.class);
  }

  @Benchmark
  public EventEnvelope validate() {
    schemas.validate(envelope);
    return envelope;
  }
}
