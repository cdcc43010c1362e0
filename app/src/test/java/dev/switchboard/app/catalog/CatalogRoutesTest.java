package dev.switchboard.app.catalog;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /catalog} and {@code GET /catalog/{type}} on a real node: every event type, with who
 * produces it, who consumes it, its schemas exactly as published in the contracts jar, and where it
 * travels on Kafka and RabbitMQ (DESIGN.md section 5).
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CatalogRoutesTest {

  private static final String JSON = "application/json";

  @TempDir
  static Path dir;

  private static TestNode node;

  @BeforeAll
  static void startTheNode(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
  }

  @AfterAll
  static void stopTheNode() {
    node.stop();
  }

  @Test
  void the_catalog_lists_every_event_type_in_catalog_order_as_json() {
    HttpResponse<Buffer> response = node.get("/catalog");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo(JSON);
    assertThat(types(response.bodyAsJsonObject().getJsonArray("events")))
        .containsExactlyElementsOf(EventCatalog.ALL.stream().map(EventType::name).toList());
  }

  @Test
  void each_type_names_its_producer_source_version_and_dataschema() {
    JsonArray events = node.get("/catalog").bodyAsJsonObject().getJsonArray("events");

    for (EventType<?> type : EventCatalog.ALL) {
      JsonObject entry = entryOf(events, type);
      assertThat(entry.getString("producer")).as(type.name()).isEqualTo(type.module());
      assertThat(entry.getString("source")).as(type.name()).isEqualTo("/" + type.module());
      assertThat(entry.getInteger("version")).as(type.name()).isEqualTo(type.version());
      assertThat(entry.getString("dataschema")).as(type.name())
          .isEqualTo("urn:switchboard:schema:" + type.name() + ":" + type.version());
    }
    assertThat(entryOf(events, EventCatalog.ORDER_PLACED).getString("producer")).isEqualTo("orders");
  }

  @Test
  void each_type_carries_every_version_of_its_schema_exactly_as_the_contracts_jar_holds_it() {
    JsonArray events = node.get("/catalog").bodyAsJsonObject().getJsonArray("events");

    for (EventType<?> type : EventCatalog.ALL) {
      JsonObject schemas = entryOf(events, type).getJsonObject("schemas");
      assertThat(schemas.fieldNames()).as(type.name()).hasSize(type.version());
      for (int version = 1; version <= type.version(); version++) {
        assertThat(schemas.getJsonObject(Integer.toString(version))).as(type.name() + " v" + version)
            .isEqualTo(ClasspathJson.read(type.schemaResource(version)));
      }
    }
  }

  @Test
  void an_evolved_type_lists_every_version_and_the_compatibility_each_new_one_keeps() {
    JsonObject orderPlaced = node.get("/catalog/OrderPlaced").bodyAsJsonObject();

    assertThat(orderPlaced.getInteger("version")).isEqualTo(2);
    assertThat(orderPlaced.getJsonArray("versions")).containsExactly(1, 2);
    assertThat(orderPlaced.getString("compatibility")).isEqualTo("FULL");
    assertThat(orderPlaced.getString("dataschema")).isEqualTo("urn:switchboard:schema:OrderPlaced:2");
    assertThat(orderPlaced.getJsonObject("schemas").getJsonObject("1").getString("$id"))
        .isEqualTo("urn:switchboard:schema:OrderPlaced:1");
    assertThat(orderPlaced.getJsonObject("schemas").getJsonObject("2").getString("$id"))
        .isEqualTo("urn:switchboard:schema:OrderPlaced:2");
    for (EventType<?> type : EventCatalog.ALL) {
      JsonObject entry = node.get("/catalog/" + type.name()).bodyAsJsonObject();
      assertThat(entry.getJsonArray("versions")).as(type.name()).hasSize(type.version());
      assertThat(entry.getString("compatibility")).as(type.name()).isEqualTo(type.compatibility().name());
    }
  }

  @Test
  void the_dataschema_and_dataversion_of_every_event_an_order_makes_resolve_to_a_schema_in_the_catalog() {
    // over the payment limit: the order goes through OrderPlaced v2 and PaymentDeclined v2
    String orderId = node.place(TestNode.order("customer-1", TestNode.item("sku-5", 201, 50)));
    JsonArray history = node.awaitEvent(orderId, "NotificationSent");

    for (Object raw : history) {
      JsonObject event = (JsonObject) raw;
      JsonObject entry = node.get("/catalog/" + event.getString("type")).bodyAsJsonObject();
      JsonObject schema = entry.getJsonObject("schemas").getJsonObject(String.valueOf(event.getInteger("dataversion")));
      assertThat(schema).as(event.getString("type") + " v" + event.getInteger("dataversion")).isNotNull();
      assertThat(schema.getString("$id")).as(event.getString("type")).isEqualTo(event.getString("dataschema"));
      assertThat(event.getInteger("dataversion")).as("producers write the newest").isEqualTo(entry.getInteger("version"));
    }
    assertThat(TestNode.types(history)).contains("OrderPlaced", "PaymentDeclined");
  }

  @Test
  void every_declared_consumer_is_listed_on_exactly_the_types_it_consumes() {
    JsonArray events = node.get("/catalog").bodyAsJsonObject().getJsonArray("events");

    List<String> listed = new ArrayList<>();
    for (EventType<?> type : EventCatalog.ALL) {
      entryOf(events, type).getJsonArray("consumers").forEach(consumer -> listed.add(type.name() + " → "
          + ((JsonObject) consumer).getString("module") + "/" + ((JsonObject) consumer).getString("consumer")));
    }
    List<String> declared = new ArrayList<>();
    Subscriptions.ALL.forEach(subscription -> subscription.types().forEach(type ->
        declared.add(type.name() + " → " + subscription.module() + "/" + subscription.consumer())));

    assertThat(listed).containsExactlyInAnyOrderElementsOf(declared);
    assertThat(entryOf(events, EventCatalog.PAYMENT_DECLINED).getJsonArray("consumers")).containsExactly(
        new JsonObject().put("module", "orders").put("consumer", "orders-saga"),
        new JsonObject().put("module", "inventory").put("consumer", "inventory"));
    assertThat(entryOf(events, EventCatalog.NOTIFICATION_SENT).getJsonArray("consumers")).isEmpty();
  }

  @Test
  void each_type_says_where_it_travels_on_kafka_rabbitmq_and_sqs() {
    JsonArray events = node.get("/catalog").bodyAsJsonObject().getJsonArray("events");

    for (EventType<?> type : EventCatalog.ALL) {
      JsonArray queues = new JsonArray();
      Subscriptions.to(type).forEach(subscription -> queues.add("switchboard-" + subscription.consumer() + ".fifo"));
      assertThat(entryOf(events, type).getJsonObject("channels")).as(type.name()).isEqualTo(new JsonObject()
          .put("kafka", new JsonObject().put("topic", "switchboard.events").put("key", "subject"))
          .put("rabbitmq", new JsonObject().put("exchange", "switchboard.events")
              .put("routingKey", type.module() + "." + type.name()))
          .put("sqs", new JsonObject().put("queues", queues).put("messageGroupId", "subject")));
    }
    assertThat(entryOf(events, EventCatalog.ORDER_PLACED).getJsonObject("channels").getJsonObject("sqs")
        .getJsonArray("queues")).containsExactly("switchboard-inventory.fifo", "switchboard-payments.fifo");
    assertThat(entryOf(events, EventCatalog.ORDER_PLACED).getJsonObject("channels").getJsonObject("rabbitmq")
        .getString("routingKey")).isEqualTo("orders.OrderPlaced");
  }

  @Test
  void one_type_is_served_alone_as_the_catalog_lists_it() {
    JsonArray events = node.get("/catalog").bodyAsJsonObject().getJsonArray("events");

    for (EventType<?> type : EventCatalog.ALL) {
      HttpResponse<Buffer> response = node.get("/catalog/" + type.name());
      assertThat(response.statusCode()).as(type.name()).isEqualTo(200);
      assertThat(response.getHeader("Content-Type")).isEqualTo(JSON);
      assertThat(response.bodyAsJsonObject()).as(type.name()).isEqualTo(entryOf(events, type));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"OrderShipped", "orderplaced", "OrderPlaced.v1"})
  void an_unknown_type_is_a_404_with_a_json_error(String type) {
    HttpResponse<Buffer> response = node.get("/catalog/" + type);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.getHeader("Content-Type")).isEqualTo(JSON);
    assertThat(response.bodyAsJsonObject().getString("error")).contains(type);
  }

  @Test
  void the_asyncapi_document_is_served_as_json_beside_the_catalog() {
    HttpResponse<Buffer> response = node.get("/catalog/asyncapi.json");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.getHeader("Content-Type")).isEqualTo(JSON);
    assertThat(response.bodyAsJsonObject().getString("asyncapi")).isEqualTo("3.0.0");
  }

  private static JsonObject entryOf(JsonArray events, EventType<?> type) {
    return events.stream().map(JsonObject.class::cast).filter(entry -> type.name().equals(entry.getString("type")))
        .findFirst().orElseThrow(() -> new AssertionError(type.name() + " is not in the catalog"));
  }

  private static List<String> types(JsonArray events) {
    return events.stream().map(entry -> ((JsonObject) entry).getString("type")).toList();
  }
}
