package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the live page builds on: {@code GET /orders} lists the orders changed last, and every
 * published event is told on {@code events.live} without its data.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OrderListAndLiveEventsTest {

  @TempDir
  Path dir;

  private TestNode node;

  @AfterEach
  void stopTheNode() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void the_orders_changed_last_come_first_and_the_limit_holds(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      String orderId = node.place(order("customer-" + i, item("sku-1", 1, 10)));
      node.awaitFinal(orderId);
      placed.add(orderId);
    }

    JsonArray all = TestNode.poll("the three orders to be listed as confirmed", () -> list("/orders"),
        items -> items.size() == 3 && items.stream().allMatch(o -> "CONFIRMED".equals(((JsonObject) o).getString("status"))));
    assertThat(ids(all)).containsExactly(placed.get(2), placed.get(1), placed.get(0));
    assertThat(all.getJsonObject(0)).isEqualTo(node.get("/orders/" + placed.get(2)).bodyAsJsonObject());
    assertThat(ids(list("/orders?limit=2"))).containsExactly(placed.get(2), placed.get(1));
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "1001", "-1", "ten", "1.5"})
  void a_limit_that_is_not_a_whole_number_from_1_to_1000_is_a_400(String limit, Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    HttpResponse<Buffer> response = node.get("/orders?limit=" + limit);

    assertThat(response.statusCode()).isEqualTo(400);
    JsonObject body = response.bodyAsJsonObject();
    assertThat(body.getString("error")).isEqualTo("The limit is not valid.");
    assertThat(body.getJsonArray("details").getJsonObject(0).getString("field")).isEqualTo("limit");
  }

  @Test
  void every_event_of_an_order_is_told_live_without_its_data(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    List<JsonObject> told = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> browser = vertx.eventBus().consumer("events.live", message -> told.add(message.body()));
    TestNode.await(browser.completion(), "listening on events.live");

    String orderId = node.place(order("customer-1", item("sku-1", 1, 10)));
    JsonArray history = node.awaitEvent(orderId, "NotificationSent");

    List<JsonObject> ofOrder = TestNode.poll("every event of the order to be told", () -> told.stream()
        .filter(event -> orderId.equals(event.getString("subject"))).toList(), events -> events.size() == history.size());
    for (int i = 0; i < history.size(); i++) {
      JsonObject stored = history.getJsonObject(i).copy();
      stored.remove("data");
      assertThat(ofOrder).contains(stored);
    }
    assertThat(ofOrder).allSatisfy(event -> assertThat(event.containsKey("data")).isFalse());
    TestNode.await(browser.unregister(), "unregistering");
  }

  @Test
  void each_listener_is_told_in_a_message_of_its_own(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    List<JsonObject> first = new CopyOnWriteArrayList<>();
    List<JsonObject> second = new CopyOnWriteArrayList<>();
    MessageConsumer<JsonObject> changing = vertx.eventBus().consumer("events.live", message -> {
      message.body().remove("type");
      first.add(message.body());
    });
    MessageConsumer<JsonObject> reading = vertx.eventBus().consumer("events.live", message -> second.add(message.body()));
    TestNode.await(changing.completion(), "listening on events.live");
    TestNode.await(reading.completion(), "listening on events.live");

    String orderId = node.place(order("customer-1", item("sku-1", 1, 10)));
    node.awaitEvent(orderId, "NotificationSent");

    TestNode.poll("both listeners to be told of the order's notification", () -> second.stream()
        .filter(event -> orderId.equals(event.getString("subject"))).map(event -> event.getString("type")).toList(),
        types -> types.contains("NotificationSent"));
    assertThat(first).isNotEmpty().allSatisfy(event -> assertThat(event.containsKey("type")).isFalse());
    assertThat(second).allSatisfy(event -> assertThat(event.getString("type")).isNotBlank());
    TestNode.await(changing.unregister(), "unregistering");
    TestNode.await(reading.unregister(), "unregistering");
  }

  private JsonArray list(String path) {
    HttpResponse<Buffer> response = node.get(path);
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject().getJsonArray("items");
  }

  private static List<String> ids(JsonArray items) {
    return items.stream().map(item -> ((JsonObject) item).getString("orderId")).toList();
  }
}
