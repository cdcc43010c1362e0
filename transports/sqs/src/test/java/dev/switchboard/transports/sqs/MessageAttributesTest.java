package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Route;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The message attributes of a message: type first, then its headers, ten at most. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class MessageAttributesTest {

  @Test
  void the_type_comes_first_then_the_headers_in_their_order() {
    Outgoing message = new Outgoing(new Route.Event("orders", "OrderPlaced"), "order-1", "event-1", new byte[0],
        Map.of("ce_id", "event-1"));

    assertThat(MessageAttributes.of(message)).containsExactly(Map.entry("type", "OrderPlaced"),
        Map.entry("ce_id", "event-1"));
  }

  @Test
  void no_more_than_ten_attributes_and_no_empty_value() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("empty", "");
    for (int i = 0; i < 12; i++) {
      headers.put("h" + i, "v" + i);
    }
    Outgoing message = new Outgoing(new Route.Event("orders", "OrderPlaced"), "order-1", "event-1", new byte[0],
        headers);

    Map<String, String> attributes = MessageAttributes.of(message);

    assertThat(attributes).hasSize(MessageAttributes.MAX_ATTRIBUTES).containsEntry("type", "OrderPlaced")
        .doesNotContainKey("empty").containsKey("h8").doesNotContainKey("h9");
  }
}
