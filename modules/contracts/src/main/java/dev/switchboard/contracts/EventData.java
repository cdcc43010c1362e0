package dev.switchboard.contracts;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;
import io.vertx.core.json.jackson.VertxModule;

import java.util.Map;

/**
 * Converts event records to and from the JSON {@code data} of their envelope (Jackson databind).
 *
 * <p>Decoding ignores fields it does not know, so that a newer producer that adds a field does not
 * break an older consumer (tolerant reader); the schema decides what is required.
 */
public final class EventData {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      // the map inside a JsonObject may hold Vert.x's own JSON types (a nested JsonObject, say)
      .registerModule(new VertxModule());

  private EventData() {
  }

  @SuppressWarnings("unchecked")
  public static JsonObject encode(Record data) {
    return new JsonObject(MAPPER.convertValue(data, Map.class));
  }

  /**
   * Data already in the shape of {@code dataClass}: the newest version, or one whose reader ignores
   * what is newer. To read an event of any version, use {@link EventUpcasters#decode}.
   */
  public static <T extends Record> T decode(JsonObject data, Class<T> dataClass) {
    try {
      // straight from the map, token by token: no text written and parsed again
      return MAPPER.convertValue(data.getMap(), dataClass);
    } catch (IllegalArgumentException e) {
      String problem = e.getCause() instanceof JacksonException cause ? cause.getOriginalMessage() : e.getMessage();
      throw new InvalidEnvelope("data does not fit " + dataClass.getSimpleName() + ": " + problem);
    }
  }
}
