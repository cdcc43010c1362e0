package dev.switchboard.runtime;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.orders.OrderConfirmed;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventFactoryTest {

  @Test
  void the_systems_ids_are_version_7_uuids_in_the_order_they_were_made() {
    EventFactory events = EventFactory.system();
    List<UUID> ids = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      ids.add(UUID.fromString(i % 2 == 0 ? events.newId()
          : events.create(EventCatalog.ORDER_CONFIRMED, "order-1", new OrderConfirmed("order-1", "customer-1", BigDecimal.TEN),
              new EventFactory.Cause("order-1", null)).id()));
    }

    assertThat(ids).allSatisfy(id -> assertThat(id.version()).isEqualTo(7));
    assertThat(ids).doesNotHaveDuplicates();
    // as their text sorts, as an index keyed by them does: each new one goes at the end
    assertThat(ids.stream().map(UUID::toString).toList()).isSortedAccordingTo(Comparator.naturalOrder());
  }
}
