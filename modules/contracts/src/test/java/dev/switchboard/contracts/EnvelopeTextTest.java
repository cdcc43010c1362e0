package dev.switchboard.contracts;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An envelope written straight from its fields is the text its {@code JsonObject} encodes to, character for character. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EnvelopeTextTest {

  private static final String TRACE = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

  private static final JsonObject DATA = new JsonObject()
      .put("orderId", "o-1")
      .put("total", new BigDecimal("25.990"))
      .put("huge", new BigDecimal("123456789012345678901234567890.01"))
      .put("tiny", new BigDecimal("1E-12"))
      .put("count", 3)
      .put("big", Long.MAX_VALUE)
      .put("bigger", new BigInteger("123456789012345678901234567890"))
      .put("ratio", 0.1)
      .put("paid", true)
      .put("nothing", (Object) null)
      .put("note", "tab\t, quote \" and line\nbreak, control \u0001, é, 日本, emoji \uD83D\uDE00")
      .put("items", new JsonArray().add(new JsonObject().put("sku", "a").put("unitPrice", new BigDecimal("12.50")))
          .add(new JsonArray().add(1).add("two").addNull()))
      .put("asMap", Map.of("k", List.of(1, 2)))
      .put("empty", new JsonObject());

  @Test
  void an_envelope_with_every_attribute_is_written_as_its_json_object_encodes() {
    EventEnvelope envelope = new EventEnvelope("e-1", "OrderPlaced", "/orders", "o-1", "2026-12-07T12:00:00.123Z",
        "/catalog/OrderPlaced/v2", 2, 7, "o-1", "idempotency-key:k-1", DATA, TRACE);

    assertWrittenAsItsJsonObjectEncodes(envelope);
  }

  @Test
  void an_envelope_without_its_optional_attributes_leaves_them_out_as_its_json_object_does() {
    EventEnvelope envelope = new EventEnvelope("e-2", "PaymentDeclined", "payments", "o-2", "2026-12-07T12:00:00Z",
        null, 1, 0, null, null, new JsonObject());

    assertWrittenAsItsJsonObjectEncodes(envelope);
    assertThat(envelope.encode()).doesNotContain("dataschema", "correlationid", "causationid", "traceparent");
  }

  @Test
  void what_is_written_reads_back_as_the_same_envelope() {
    EventEnvelope envelope = new EventEnvelope("e-3", "OrderPlaced", "/orders", "o-3", "2026-12-07T12:00:00Z",
        null, 2, 1, "o-3", "e-0", DATA, TRACE);

    assertThat(EventEnvelope.fromJson(ExactJson.parse(envelope.encode())).toJson())
        .isEqualTo(EventEnvelope.fromJson(ExactJson.parse(envelope.toJson().encode())).toJson());
  }

  private static void assertWrittenAsItsJsonObjectEncodes(EventEnvelope envelope) {
    String expected = envelope.toJson().encode();

    assertThat(envelope.encode()).isEqualTo(expected);
    assertThat(envelope.encodeToUtf8()).isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }
}
