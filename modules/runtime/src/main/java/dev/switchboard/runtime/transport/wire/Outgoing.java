package dev.switchboard.runtime.transport.wire;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventType;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.transport.delivery.DeadLetterForwarder;

import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One message as a wire sends it: where to, its ordering key, its id (for a broker's deduplication
 * and tools), its body, and headers.
 *
 * <p>Events travel in the CloudEvents structured mode: the body is the whole CloudEvent as JSON, keyed
 * by its subject (the order id), so that every event of an order keeps its order. The headers repeat
 * the main attributes as {@code ce_*} (for routing and tools that do not parse bodies), say the
 * content type, and carry the event's W3C {@code traceparent}, the header OpenTelemetry's broker
 * instrumentations read.
 *
 * @param headers in a stable order; a wire maps them to its own headers or attributes
 */
public record Outgoing(Route route, String key, String id, byte[] body, Map<String, String> headers) {

  public static final String EVENT_CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";
  public static final String DEAD_LETTER_CONTENT_TYPE = "application/json; charset=UTF-8";

  public Outgoing {
    headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
  }

  public static Outgoing event(EventEnvelope event) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", EVENT_CONTENT_TYPE);
    headers.put("ce_specversion", EventEnvelope.SPEC_VERSION);
    headers.put("ce_id", event.id());
    headers.put("ce_type", event.type());
    headers.put("ce_source", event.source());
    headers.put("ce_subject", event.subject());
    headers.put("ce_time", event.time());
    if (event.correlationid() != null) {
      headers.put("ce_correlationid", event.correlationid());
    }
    if (event.traceparent() != null) {
      headers.put("traceparent", event.traceparent());
    }
    return new Outgoing(new Route.Event(moduleOf(event), event.type()), event.subject(), event.id(),
        event.encodeToUtf8(), headers);
  }

  /**
   * A consumer's dead letter, as JSON ({@link DeadLetter#toJson()}), keyed by
   * {@link DeadLetterForwarder#keyOf} so that a subject's letters stay in order.
   */
  public static Outgoing deadLetter(DeadLetter letter) {
    return new Outgoing(new Route.DeadLetters(letter.consumer()), DeadLetterForwarder.keyOf(letter), letter.id(),
        letter.toJson().encode().getBytes(StandardCharsets.UTF_8),
        Map.of("content-type", DEAD_LETTER_CONTENT_TYPE, "type", "DeadLetter"));
  }

  /**
   * The module that produces the event's type; for a type the catalog does not know (the store does
   * not take such events: a safety net), its source made safe as a name.
   */
  private static String moduleOf(EventEnvelope event) {
    return EventCatalog.byName(event.type()).map(EventType::module)
        .orElseGet(() -> event.source().replaceAll("^/+", "").replaceAll("[^A-Za-z0-9._-]", "_"));
  }
}
