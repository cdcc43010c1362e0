package dev.switchboard.contracts;

import dev.switchboard.contracts.orders.OrderLine;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What is read back from a store or a broker has the numbers that were written, exactly. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ExactJsonTest {

  @Test
  void an_amount_read_back_keeps_its_scale_as_it_would_in_memory() {
    OrderLine line = new OrderLine("sku-1", 3, new BigDecimal("30.00"));
    String stored = EventData.encode(line).encode();

    OrderLine fromStore = EventData.decode(ExactJson.parse(stored), OrderLine.class);

    assertThat(fromStore.unitPrice()).isEqualTo(new BigDecimal("30.00")); // equals: scale included
    assertThat(fromStore).isEqualTo(line);
  }

  @Test
  void an_amount_beyond_what_a_double_holds_keeps_its_cents() {
    JsonObject read = ExactJson.parse("{\"total\": 12345678901234567.89}");

    assertThat(read.getValue("total")).isEqualTo(new BigDecimal("12345678901234567.89"));
  }

  @Test
  void nested_objects_and_arrays_are_read_as_Vertx_reads_them() {
    JsonObject read = ExactJson.parse(
        "{\"a\": {\"b\": [1, 2.50, \"x\", null, true]}, \"n\": 7, \"big\": 9007199254740993, \"huge\": 123456789012345678901}");

    assertThat(read.getJsonObject("a").getJsonArray("b").getList())
        .containsExactly(1, new BigDecimal("2.50"), "x", null, true);
    assertThat(read.getValue("n")).isEqualTo(7);
    assertThat(read.getValue("big")).isEqualTo(9007199254740993L);
    assertThat(read.getValue("huge")).isEqualTo(new BigInteger("123456789012345678901"));
    assertThat(read).isEqualTo(new JsonObject(read.encode()));
  }

  @Test
  void text_that_is_not_one_JSON_object_is_refused_as_new_JsonObject_would() {
    assertThatThrownBy(() -> ExactJson.parse("[1, 2]")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> ExactJson.parse("{\"a\": 1} {\"b\": 2}")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> ExactJson.parse("{\"a\": ")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> ExactJson.parse("not json")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> ExactJson.parse("null")).isInstanceOf(DecodeException.class);
    assertThatThrownBy(() -> ExactJson.parse("42")).isInstanceOf(DecodeException.class);
  }
}
