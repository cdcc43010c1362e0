package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /admin/projections} on a real node: every read model listed with its position and lag,
 * and a rebuild from position zero while the node keeps serving, after which the read models say
 * exactly what they said before.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ProjectionAdminTest {

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
  void every_read_model_is_listed_live_and_catches_up_with_the_log(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    String orderId = node.place(order("customer-1", item("sku-1", 1, 10)));
    node.awaitFinal(orderId);
    node.awaitEvent(orderId, "NotificationSent");

    JsonObject listed = TestNode.poll("every projection to catch up with the log", this::projections,
        body -> body.getJsonArray("items").size() == 5
            && items(body).stream().allMatch(item -> item.getLong("lag") == 0));

    assertThat(listed.getLong("head")).isPositive();
    assertThat(items(listed)).extracting(item -> item.getString("name"))
        .containsExactly("catalog_prices", "notifications", "order_saga_states", "orders", "stock");
    assertThat(items(listed)).allSatisfy(item -> {
      assertThat(item.getString("state")).isEqualTo("LIVE");
      assertThat(item.getInteger("generation")).isEqualTo(1);
      assertThat(item.getLong("position")).isEqualTo(listed.getLong("head"));
      assertThat(item.containsKey("rebuild")).isFalse();
    });
  }

  @Test
  void a_rebuild_from_zero_switches_generations_and_the_read_models_say_the_same_after(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    List<String> orders = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      orders.add(node.place(order("customer-" + i, i % 4 == 0 ? item("sku-5", 201, 50) // over the payment limit
          : item("sku-" + (1 + i % 5), 1 + i % 3, (1 + i % 5) * 10))));
    }
    Map<String, JsonObject> before = new LinkedHashMap<>();
    for (String orderId : orders) {
      before.put(orderId, node.awaitFinal(orderId));
    }
    TestNode.poll("the orders read model to catch up", this::projections,
        body -> projection(body, "orders").getLong("lag") == 0);

    HttpResponse<Buffer> accepted = node.post("/admin/projections/orders/rebuild", new JsonObject());

    assertThat(accepted.statusCode()).isEqualTo(202);
    JsonObject rebuilding = accepted.bodyAsJsonObject();
    assertThat(rebuilding.getString("name")).isEqualTo("orders");
    assertThat(rebuilding.getString("state")).isEqualTo("REBUILDING");
    assertThat(rebuilding.getInteger("generation")).isEqualTo(1);
    assertThat(rebuilding.getJsonObject("rebuild").getInteger("generation")).isEqualTo(2);

    JsonObject done = TestNode.poll("the rebuilt generation to serve", this::projections,
        body -> projection(body, "orders").getInteger("generation") == 2);
    assertThat(projection(done, "orders").getString("state")).isEqualTo("LIVE");
    for (String orderId : orders) {
      HttpResponse<Buffer> response = node.get("/orders/" + orderId);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.bodyAsJsonObject()).as("order " + orderId + " after the rebuild")
          .isEqualTo(before.get(orderId));
    }
    String later = node.place(order("customer-late", item("sku-1", 1, 10)));
    assertThat(node.awaitFinal(later).getString("status")).as("the new generation follows the log")
        .isEqualTo("CONFIRMED");
  }

  @Test
  void an_unknown_projection_is_a_404_with_a_reason(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    HttpResponse<Buffer> response = node.post("/admin/projections/nope/rebuild", new JsonObject());

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getString("error")).isEqualTo("There is no projection nope.");
  }

  @Test
  void the_rebuild_is_a_post(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    HttpResponse<Buffer> response = node.request(HttpMethod.GET, "/admin/projections/orders/rebuild");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
  }

  private JsonObject projections() {
    HttpResponse<Buffer> response = node.get("/admin/projections");
    assertThat(response.statusCode()).isEqualTo(200);
    return response.bodyAsJsonObject();
  }

  private static List<JsonObject> items(JsonObject body) {
    JsonArray items = body.getJsonArray("items");
    List<JsonObject> list = new ArrayList<>();
    items.forEach(item -> list.add((JsonObject) item));
    return list;
  }

  private static JsonObject projection(JsonObject body, String name) {
    return items(body).stream().filter(item -> name.equals(item.getString("name"))).findFirst()
        .orElseThrow(() -> new AssertionError("no projection " + name + " in " + body.encode()));
  }
}
