package dev.switchboard.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.util.Map;

/**
 * Parses JSON text that was written from our own values (an event as stored or as it came over a
 * broker, a document, a read-model row) so that every number reads back as it was written: a
 * fraction as the {@link java.math.BigDecimal} it was encoded from, scale included.
 *
 * <p>{@code new JsonObject(text)} reads fractions as {@code double}: a price written as {@code 30.00}
 * would come back as {@code 30.0}, and above about 2^53 minor units it would lose cents. A decision
 * must not depend on whether its input came from memory or from the store, so what the runtime and
 * the stores read back goes through here.
 */
public final class ExactJson {

  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private ExactJson() {
  }

  /**
   * The JSON object {@code text} holds, with fractions as {@link java.math.BigDecimal} and integers
   * as Vert.x reads them ({@code Integer}, {@code Long} or {@code BigInteger}, by size).
   *
   * @throws DecodeException if the text is not one JSON object, as {@code new JsonObject(text)} would
   */
  @SuppressWarnings("unchecked")
  public static JsonObject parse(String text) {
    Map<String, Object> object;
    try {
      object = MAPPER.readValue(text, Map.class);
    } catch (JsonProcessingException e) {
      throw new DecodeException("Failed to decode: " + e.getOriginalMessage());
    }
    if (object == null) { // the text was JSON's null
      throw new DecodeException("Failed to decode: not a JSON object: null");
    }
    return new JsonObject(object);
  }
}
