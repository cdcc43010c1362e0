package dev.switchboard.contracts;

import io.vertx.core.json.JsonObject;

import java.util.Objects;

/**
 * One event as it travels and as it is stored: a CloudEvents 1.0 envelope in structured JSON mode.
 *
 * <p>{@code id} is the idempotency key, {@code subject} the aggregate id and ordering key (the order
 * id for everything that happens to an order), {@code sequence} the event's version within the stream
 * that stored it. {@code sequence} is 0 until the event store has assigned it. {@code traceparent}
 * (W3C Trace Context, the CloudEvents distributed-tracing extension) ties the events of one order
 * into one trace; it is optional for foreign producers.
 */
public record EventEnvelope(
    String id,
    String type,
    String source,
    String subject,
    String time,
    String dataschema,
    int dataversion,
    long sequence,
    String correlationid,
    String causationid,
    JsonObject data,
    String traceparent) {

  public static final String SPEC_VERSION = "1.0";
  public static final String CONTENT_TYPE = "application/json";

  public EventEnvelope {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(data, "data");
  }

  /** An envelope without trace context. */
  public EventEnvelope(String id, String type, String source, String subject, String time, String dataschema,
                       int dataversion, long sequence, String correlationid, String causationid, JsonObject data) {
    this(id, type, source, subject, time, dataschema, dataversion, sequence, correlationid, causationid, data, null);
  }

  public EventEnvelope withSequence(long newSequence) {
    return new EventEnvelope(id, type, source, subject, time, dataschema, dataversion, newSequence,
        correlationid, causationid, data, traceparent);
  }

  /** The same event, seen as a step of another span of its trace (the span of its handling, say). */
  public EventEnvelope withTrace(TraceParent trace) {
    return new EventEnvelope(id, type, source, subject, time, dataschema, dataversion, sequence,
        correlationid, causationid, data, trace == null ? null : trace.toString());
  }

  /** The trace this event belongs to, if it carries a valid one. */
  public java.util.Optional<TraceParent> trace() {
    return TraceParent.parse(traceparent);
  }

  public JsonObject toJson() {
    return envelopeWithoutData().put("data", data);
  }

  /** {@code toJson().encode()}, the same text, written without building the {@code JsonObject}. */
  public String encode() {
    return EnvelopeText.of(this);
  }

  /**
   * {@link #encode()} in UTF-8, as a broker carries it. (Jackson's own UTF-8 writer would escape a
   * character outside the Basic Multilingual Plane, an emoji, as two escaped halves, where the
   * text carries it as it is: the same JSON, other bytes.)
   */
  public byte[] encodeToUtf8() {
    return encode().getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The envelope as browsers watching {@code events.live} see it: everything but the payload. */
  public JsonObject envelopeWithoutData() {
    JsonObject json = new JsonObject()
        .put("specversion", SPEC_VERSION)
        .put("id", id)
        .put("type", type)
        .put("source", source)
        .put("subject", subject)
        .put("time", time)
        .put("datacontenttype", CONTENT_TYPE)
        .put("dataversion", dataversion)
        .put("sequence", sequence);
    if (dataschema != null) {
      json.put("dataschema", dataschema);
    }
    if (correlationid != null) {
      json.put("correlationid", correlationid);
    }
    if (causationid != null) {
      json.put("causationid", causationid);
    }
    if (traceparent != null) {
      json.put("traceparent", traceparent);
    }
    return json;
  }

  /**
   * Reads a structured-mode CloudEvent, as our own producers and foreign ones write it.
   *
   * @throws InvalidEnvelope naming the first attribute that is missing or of the wrong type
   */
  public static EventEnvelope fromJson(JsonObject json) {
    if (json == null) {
      throw new InvalidEnvelope("the event is not a JSON object");
    }
    String specVersion = text(json, "specversion", true);
    if (!SPEC_VERSION.equals(specVersion)) {
      throw new InvalidEnvelope("specversion must be \"1.0\", was \"" + specVersion + "\"");
    }
    Object data = json.getValue("data");
    if (!(data instanceof JsonObject payload)) {
      throw new InvalidEnvelope("data must be a JSON object");
    }
    return new EventEnvelope(
        text(json, "id", true),
        text(json, "type", true),
        text(json, "source", true),
        text(json, "subject", true),
        text(json, "time", true),
        text(json, "dataschema", false),
        (int) number(json, "dataversion", 1),
        number(json, "sequence", 0),
        text(json, "correlationid", false),
        text(json, "causationid", false),
        payload,
        // an invalid trace context is dropped (W3C: start afresh), never a reason to refuse the event
        TraceParent.validated(json.getValue("traceparent") instanceof String t ? t : null));
  }

  private static String text(JsonObject json, String name, boolean required) {
    Object value = json.getValue(name);
    if (value == null) {
      if (required) {
        throw new InvalidEnvelope("attribute \"" + name + "\" is missing");
      }
      return null;
    }
    if (!(value instanceof String s) || s.isBlank()) {
      throw new InvalidEnvelope("attribute \"" + name + "\" must be a non-empty string");
    }
    if (NulCharacters.in(s)) {
      throw new InvalidEnvelope("attribute \"" + name + "\" " + NulCharacters.PROBLEM);
    }
    return s;
  }

  private static long number(JsonObject json, String name, long defaultValue) {
    Object value = json.getValue(name);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())) {
      return n.longValue();
    }
    if (value instanceof String s) {
      try {
        return Long.parseLong(s); // the CloudEvents sequence extension writes it as a string
      } catch (NumberFormatException e) {
        // fall through to the error below
      }
    }
    throw new InvalidEnvelope("attribute \"" + name + "\" must be an integer");
  }
}
