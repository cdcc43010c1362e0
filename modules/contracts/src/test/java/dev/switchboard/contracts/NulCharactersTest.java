package dev.switchboard.contracts;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A NUL character is refused where events come in, by both stores alike. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class NulCharactersTest {

  private static final EventSchemas SCHEMAS = EventSchemas.load();

  @Test
  void data_with_a_NUL_in_a_nested_text_is_invalid_and_the_problem_names_where() {
    JsonObject data = new JsonObject("""
        {"orderId": "o-1", "customerId": "c-1", "total": 1,
         "items": [{"productId": "sku-1", "quantity": 1, "unitPrice": 1}]}""");
    data.getJsonArray("items").getJsonObject(0).put("productId", "sku\u0000");

    assertThatThrownBy(() -> SCHEMAS.validate("OrderPlaced", 1, data))
        .isInstanceOfSatisfying(InvalidEventData.class, invalid -> assertThat(invalid.problems())
            .containsExactly("/items/0/productId: " + NulCharacters.PROBLEM));
  }

  @Test
  void an_envelope_attribute_with_a_NUL_is_not_a_readable_event() {
    JsonObject json = new JsonObject().put("specversion", "1.0").put("id", "e-1").put("type", "OrderPlaced")
        .put("source", "/orders").put("subject", "o-\u0000").put("time", "2030-01-01T00:00:00Z")
        .put("data", new JsonObject());

    assertThatThrownBy(() -> EventEnvelope.fromJson(json)).isInstanceOf(InvalidEnvelope.class)
        .hasMessageContaining("\"subject\"").hasMessageContaining("NUL");
  }
}
