package dev.switchboard.contracts;

import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.contracts.payments.DeclineCode;
import dev.switchboard.contracts.payments.PaymentDeclined;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/** Events stored at any version are read as the newest, the only shape the modules know. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventUpcastersTest {

  private static final EventSchemas SCHEMAS = EventSchemas.load();

  private static final JsonObject ORDER_PLACED_V1 = new JsonObject("""
      {"orderId": "o-1", "customerId": "c-1", "total": 20.00,
       "items": [{"productId": "sku-1", "quantity": 2, "unitPrice": 10.00}]}""");

  @Test
  void an_order_placed_before_currencies_is_read_in_the_shops_currency_and_without_an_address() {
    EventEnvelope stored = envelope("OrderPlaced", 1, ORDER_PLACED_V1);

    OrderPlaced read = (OrderPlaced) EventUpcasters.forShop("CHF").decode(stored);

    assertThat(read.currency()).isEqualTo("CHF");
    assertThat(read.shippingAddress()).isNull();
    assertThat(read.total()).isEqualByComparingTo("20.00");
    assertThat(read.items()).extracting(OrderLine::productId, OrderLine::quantity).containsExactly(tuple("sku-1", 2));
  }

  @Test
  void an_upcast_event_names_the_newest_version_and_schema_and_is_valid_against_it() {
    EventEnvelope upcast = EventUpcasters.forShop("EUR").upcast(envelope("OrderPlaced", 1, ORDER_PLACED_V1));

    assertThat(upcast.dataversion()).isEqualTo(2);
    assertThat(upcast.dataschema()).isEqualTo("urn:switchboard:schema:OrderPlaced:2");
    SCHEMAS.validate(upcast);
    assertThat(upcast.data().getString("currency")).isEqualTo("EUR");
    assertThat(ORDER_PLACED_V1.containsKey("currency")).as("the stored data is left as it was").isFalse();
  }

  @Test
  void a_v1_decline_over_the_limit_reads_with_the_limit_code_and_its_text_kept() {
    String text = "payment declined: total 10050.00 is over the limit of 10000";
    JsonObject v1 = new JsonObject().put("orderId", "o-1").put("amount", 10050.00).put("reason", text);

    PaymentDeclined read = (PaymentDeclined) EventUpcasters.forShop("EUR").decode(envelope("PaymentDeclined", 1, v1));

    assertThat(read.reasonCode()).isEqualTo(DeclineCode.LIMIT_EXCEEDED);
    assertThat(read.reason()).isEqualTo(text);
  }

  @Test
  void a_v1_decline_whose_text_names_no_rule_reads_as_unspecified() {
    JsonObject v1 = new JsonObject().put("orderId", "o-1").put("amount", 1).put("reason", "card stolen");

    PaymentDeclined read = (PaymentDeclined) EventUpcasters.forShop("EUR").decode(envelope("PaymentDeclined", 1, v1));

    assertThat(read.reasonCode()).isEqualTo(DeclineCode.UNSPECIFIED);
  }

  @Test
  void an_event_of_the_newest_version_is_read_as_it_is() {
    JsonObject v2 = ORDER_PLACED_V1.copy().put("currency", "USD");
    EventEnvelope stored = envelope("OrderPlaced", 2, v2);

    assertThat(EventUpcasters.forShop("CHF").upcast(stored)).isSameAs(stored);
    assertThat(((OrderPlaced) EventUpcasters.forShop("CHF").decode(stored)).currency()).isEqualTo("USD");
  }

  @Test
  void an_event_of_a_version_newer_than_known_is_read_by_ignoring_what_is_new() {
    // written by a node already upgraded to a v3 this node does not know
    JsonObject v3 = ORDER_PLACED_V1.copy().put("currency", "USD").put("giftWrap", true);
    EventEnvelope stored = envelope("OrderPlaced", 3, v3);

    OrderPlaced read = (OrderPlaced) EventUpcasters.forShop("EUR").decode(stored);

    assertThat(read.currency()).isEqualTo("USD");
  }

  @Test
  void an_event_of_a_version_newer_than_known_is_checked_against_the_newest_schema_known() {
    JsonObject v3 = ORDER_PLACED_V1.copy().put("currency", "USD").put("giftWrap", true);
    JsonObject v3WithoutCurrency = ORDER_PLACED_V1.copy().put("giftWrap", true);

    SCHEMAS.validate(envelope("OrderPlaced", 3, v3));
    assertThatThrownBy(() -> SCHEMAS.validate(envelope("OrderPlaced", 3, v3WithoutCurrency)))
        .isInstanceOf(InvalidEventData.class).hasMessageContaining("currency");
  }

  @Test
  void a_version_below_one_is_refused() {
    assertThatThrownBy(() -> EventUpcasters.forShop("EUR").upcast(envelope("OrderPlaced", 0, ORDER_PLACED_V1)))
        .isInstanceOf(InvalidEventData.class);
  }

  @Test
  void a_shop_currency_that_is_no_iso_4217_code_is_refused() {
    assertThatThrownBy(() -> EventUpcasters.forShop("EURO")).hasMessageContaining("ISO 4217");
    assertThatThrownBy(() -> EventUpcasters.forShop("XYZ")).hasMessageContaining("ISO 4217");
  }

  @Test
  void a_type_with_a_version_that_no_upcaster_reaches_is_refused_when_the_chain_is_built() {
    assertThatThrownBy(() -> EventUpcasters.builder().build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("OrderPlaced v1 cannot be read: no upcaster to v2");
  }

  @Test
  void a_step_beyond_the_newest_version_is_refused() {
    assertThatThrownBy(() -> EventUpcasters.builder().step(EventCatalog.ORDER_PLACED, 2, data -> data))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static EventEnvelope envelope(String type, int version, JsonObject data) {
    EventType<?> known = EventCatalog.byName(type).orElseThrow();
    return new EventEnvelope("e-1", type, known.source(), "o-1", "2024-01-01T00:00:00Z", known.dataschema(version),
        version, 1, "o-1", null, data);
  }
}
