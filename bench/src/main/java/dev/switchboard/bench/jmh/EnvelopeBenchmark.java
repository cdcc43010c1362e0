package dev.switchboard.bench.jmh;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
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

/** The per-event costs on the hot path: encoding, decoding and validating an envelope. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class EnvelopeBenchmark {

  private EventEnvelope envelope;
  private String encoded;
  private EventSchemas schemas;

  @Setup
  public void setUp() {
    envelope = TestEvents.orderPlaced("order-1");
    encoded = envelope.toJson().encode();
    schemas = EventSchemas.load();
  }

  @Benchmark
  public String encode() {
    return envelope.toJson().encode();
  }

  @Benchmark
  public EventEnvelope decode() {
    return EventEnvelope.fromJson(new JsonObject(encoded));
  }

  @Benchmark
  public EventEnvelope validate() {
    schemas.validate(envelope);
    return envelope;
  }
}
