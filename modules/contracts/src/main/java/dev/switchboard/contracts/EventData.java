package dev.switchboard.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.JsonObject;

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
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

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
      // through the text form: the map inside a JsonObject may hold Vert.x JSON types Jackson does not know
      return MAPPER.readValue(data.encode(), dataClass);
    } catch (JsonProcessingException e) {
      throw new InvalidEnvelope("data does not fit " + dataClass.getSimpleName() + ": " + e.getOriginalMessage());
    }
  }
}
