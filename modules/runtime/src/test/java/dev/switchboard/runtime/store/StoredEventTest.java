package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.contracts.InvalidEnvelope;
import dev.switchboard.contracts.orders.OrderLine;
import dev.switchboard.contracts.orders.OrderPlaced;
import dev.switchboard.runtime.testing.DefaultShop;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One stored event is shared by every reader on a node: its data is decoded once, and read alike by all. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StoredEventTest {

  private static final JsonObject ORDER_PLACED_V1 = new JsonObject("""
      {"orderId": "o-1", "customerId": "c-1", "total": 20.00,
       "items": [{"productId": "sku-1", "quantity": 2, "unitPrice": 10.00}]}""");

  @Test
  void readers_of_an_event_in_its_newest_shape_share_one_decoded_record_whatever_their_upcasters() {
    StoredEvent event = new StoredEvent(7, orderPlaced("o-1", new BigDecimal("25.50")));

    OrderPlaced first = event.data(EventUpcasters.forShop("CHF"), EventCatalog.ORDER_PLACED);
    OrderPlaced second = event.data(DefaultShop.upcasters(), EventCatalog.ORDER_PLACED);

    assertThat(second).isSameAs(first);
    assertThat(first).isEqualTo(DefaultShop.upcasters().decode(event.envelope(), EventCatalog.ORDER_PLACED));
    assertThat(first.total()).isEqualByComparingTo("25.50");
  }

  @Test
  void a_reader_that_names_no_type_shares_the_record_of_the_readers_that_do() {
    StoredEvent event = new StoredEvent(7, orderPlaced("o-1", new BigDecimal("25.50")));

    OrderPlaced typed = event.data(DefaultShop.upcasters(), EventCatalog.ORDER_PLACED);

    assertThat(event.data(DefaultShop.upcasters())).isSameAs(typed);
    EventEnvelope unknown = new EventEnvelope("e-2", "OrderExploded", "/orders", "o-2", "2024-01-01T00:00:00Z",
        null, 1, 1, "o-2", null, new JsonObject());
    assertThatThrownBy(() -> new StoredEvent(8, unknown).data(DefaultShop.upcasters()))
        .isInstanceOf(InvalidEnvelope.class).hasMessageContaining("OrderExploded");
  }

  @Test
  void an_event_of_an_older_version_is_read_as_each_readers_upcasters_say() {
    StoredEvent event = new StoredEvent(7, v1(ORDER_PLACED_V1));
    EventUpcasters inFrancs = EventUpcasters.forShop("CHF");

    OrderPlaced byFrancs = event.data(inFrancs, EventCatalog.ORDER_PLACED);
    OrderPlaced byEuros = event.data(EventUpcasters.forShop("EUR"), EventCatalog.ORDER_PLACED);

    assertThat(byFrancs.currency()).isEqualTo("CHF");
    assertThat(byEuros.currency()).isEqualTo("EUR");
    assertThat(event.data(inFrancs, EventCatalog.ORDER_PLACED).currency()).isEqualTo("CHF");
  }

  @Test
  void a_shared_record_cannot_be_changed_by_one_of_its_readers() {
    OrderPlaced placed = new StoredEvent(7, orderPlaced("o-1", BigDecimal.TEN))
        .data(DefaultShop.upcasters(), EventCatalog.ORDER_PLACED);

    assertThatThrownBy(() -> placed.items().add(new OrderLine("sku-2", 1, BigDecimal.ONE)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void data_that_does_not_fit_its_type_fails_each_time_it_is_asked_for() {
    StoredEvent event = new StoredEvent(7, v1(new JsonObject().put("items", "not a list")));

    assertThatThrownBy(() -> event.data(DefaultShop.upcasters(), EventCatalog.ORDER_PLACED))
        .isInstanceOf(InvalidEnvelope.class);
    assertThatThrownBy(() -> event.data(DefaultShop.upcasters(), EventCatalog.ORDER_PLACED))
        .isInstanceOf(InvalidEnvelope.class);
  }

  private static EventEnvelope v1(JsonObject data) {
    EventType<?> type = EventCatalog.ORDER_PLACED;
    return new EventEnvelope("e-1", type.name(), type.source(), "o-1", "2024-01-01T00:00:00Z", type.dataschema(1),
        1, 1, "o-1", null, data);
  }
}
