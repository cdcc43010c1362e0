package dev.switchboard.app.catalog;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.json.schema.Draft;
import io.vertx.json.schema.JsonSchema;
import io.vertx.json.schema.JsonSchemaOptions;
import io.vertx.json.schema.OutputFormat;
import io.vertx.json.schema.Validator;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static dev.switchboard.app.TestNode.types;
import static dev.switchboard.contracts.EventSchemas.problems;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code GET /catalog/asyncapi.json} on a real node: valid AsyncAPI 3.0.0 by the official schema (and
 * that schema, as set up here, does refuse a broken document), a message for every event type whose
 * payload the node's real events satisfy, and the channels and operations of DESIGN.md section 5.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CatalogAsyncApiTest {

  /** A product that starts one unit over the low-stock threshold, so that an order of two raises InventoryLow. */
  private static final String SCARCE = "sku-scarce";

  @TempDir
  static Path dir;

  private static TestNode node;
  private static JsonObject document;
  private static AsyncApiSpec spec;

  @BeforeAll
  static void startTheNodeAndReadItsDocument(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("inventory", new JsonObject()
        .put("lowStockThreshold", 100)
        .put("initialStock", new JsonObject().put(SCARCE, 101))
        .put("prices", new JsonObject().put(SCARCE, "10.00")))));
    document = node.get("/catalog/asyncapi.json").bodyAsJsonObject();
    spec = AsyncApiSpec.load();
  }

  @AfterAll
  static void stopTheNode() {
    node.stop();
  }

  // ---- valid AsyncAPI 3.0.0 ------------------------------------------------------------------

  @Test
  void the_served_document_is_valid_against_the_official_asyncapi_3_0_0_schema() {
    assertThat(document.getString("asyncapi")).isEqualTo("3.0.0");
    assertThat(spec.problems(document)).isEmpty();
  }

  /** Ways to break the document, each with where in it the validator should then find a fault. */
  static Stream<Arguments> breakages() {
    return Stream.of(
        breakage("an AsyncAPI 2 version", "#/asyncapi", doc -> doc.put("asyncapi", "2.6.0")),
        breakage("no info", "#", doc -> doc.remove("info")),
        breakage("no info.version", "#/info", doc -> doc.getJsonObject("info").remove("version")),
        breakage("a server without its protocol", "#/servers/kafka", doc ->
            section(doc, "servers", "kafka").remove("protocol")),
        breakage("a channel with an AsyncAPI 2 subscribe", "#/channels/kafka.events/subscribe", doc ->
            section(doc, "channels", "kafka.events").put("subscribe", new JsonObject())),
        breakage("an operation with the AsyncAPI 2 action publish", "#/operations/orders.send.kafka/action", doc ->
            section(doc, "operations", "orders.send.kafka").put("action", "publish")),
        breakage("an operation without its channel", "#/operations/orders.send.kafka", doc ->
            section(doc, "operations", "orders.send.kafka").remove("channel")),
        breakage("an exchange type RabbitMQ does not have", "#/channels/rabbitmq.orders.OrderPlaced/bindings", doc ->
            section(doc, "channels", "rabbitmq.orders.OrderPlaced").getJsonObject("bindings").getJsonObject("amqp")
                .getJsonObject("exchange").put("type", "broadcast")),
        breakage("a data schema whose type is no JSON type", "#/components/schemas/OrderPlaced.v1", doc ->
            section(doc.getJsonObject("components"), "schemas", "OrderPlaced.v1").put("type", "record")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("breakages")
  void the_official_schema_refuses_the_document_broken_by(String breakage, String where, Consumer<JsonObject> breakIt) {
    JsonObject broken = document.copy();
    breakIt.accept(broken);

    assertThat(broken).isNotEqualTo(document);
    assertThat(spec.problems(broken)).as(breakage).isNotEmpty()
        .anySatisfy(problem -> assertThat(problem).startsWith(where + ":"));
  }

  @Test
  void every_reference_leads_somewhere_and_operations_only_name_messages_of_their_channel() {
    List<String> refs = new ArrayList<>();
    collectRefs(document, refs);

    assertThat(refs).isNotEmpty().allSatisfy(ref -> assertThat(resolve(ref)).as(ref).isNotNull());
    operations().forEach((id, operation) -> {
      String channel = operation.getJsonObject("channel").getString("$ref");
      assertThat(operation.getJsonArray("messages")).as(id).isNotEmpty().allSatisfy(message ->
          assertThat(((JsonObject) message).getString("$ref")).startsWith(channel + "/messages/"));
    });
  }

  // ---- what it says ------------------------------------------------------------------------

  @Test
  void the_info_names_switchboard_and_the_version_of_its_contracts() {
    JsonObject info = document.getJsonObject("info");

    assertThat(info.getString("title")).isEqualTo("Switchboard");
    assertThat(info.getString("version")).isEqualTo(ProjectVersion.read()).isNotBlank();
    assertThat(info.getString("description")).contains("CloudEvents");
  }

  @Test
  void every_event_type_is_a_message_of_the_envelope_whose_data_is_the_type_s_schema() {
    JsonObject messages = document.getJsonObject("components").getJsonObject("messages");

    for (EventType<?> type : EventCatalog.ALL) {
      JsonObject message = messages.getJsonObject(type.name());
      assertThat(message).as(type.name()).isNotNull();
      JsonArray payload = message.getJsonObject("payload").getJsonArray("allOf");
      assertThat(payload.getJsonObject(0)).isEqualTo(new JsonObject().put("$ref", "#/components/schemas/CloudEvent"));
      JsonObject attributes = payload.getJsonObject(1).getJsonObject("properties");
      assertThat(attributes.getJsonObject("type").getString("const")).isEqualTo(type.name());
      assertThat(attributes.getJsonObject("source").getString("const")).isEqualTo(type.source());

      // one version: the schema itself; several: any of them, one component per version
      JsonObject data = attributes.getJsonObject("data");
      List<String> refs = data.containsKey("anyOf")
          ? data.getJsonArray("anyOf").stream().map(ref -> ((JsonObject) ref).getString("$ref")).toList()
          : List.of(data.getString("$ref"));
      assertThat(refs).as(type.name()).hasSize(type.version());
      for (int version = 1; version <= type.version(); version++) {
        JsonObject published = ClasspathJson.read(type.schemaResource(version));
        published.remove("$schema");
        published.remove("$id");
        assertThat(resolve(refs.get(version - 1))).as(type.name() + " v" + version).isEqualTo(published);
      }
      assertThat(attributes.getJsonObject("dataversion").getJsonArray("enum")).as(type.name())
          .containsExactlyElementsOf(type.versions());
      assertThat(attributes.getJsonObject("dataschema").getJsonArray("enum")).as(type.name())
          .containsExactlyElementsOf(type.versions().stream().map(type::dataschema).toList());
      assertThat(message.getString("x-compatibility")).as(type.name()).isEqualTo(type.compatibility().name());
    }
    assertThat(messages.getJsonObject("OrderPlaced").getJsonObject("payload").getJsonArray("allOf").getJsonObject(1)
        .getJsonObject("properties").getJsonObject("dataversion").getJsonArray("enum")).containsExactly(1, 2);
    assertThat(resolve("#/components/schemas/CloudEvent")).isNotNull();
  }

  @Test
  void one_kafka_topic_is_the_channel_of_every_event_so_that_each_orders_events_keep_their_order() {
    JsonObject channel = channelAt("switchboard.events");
    assertThat(channel.getJsonArray("servers")).containsExactly(new JsonObject().put("$ref", "#/servers/kafka"));
    assertThat(channel.getJsonObject("messages").fieldNames())
        .containsExactlyInAnyOrderElementsOf(EventCatalog.ALL.stream().map(EventType::name).toList());
    assertThat(document.getJsonObject("channels").stream().map(entry -> (JsonObject) entry.getValue())
        .filter(each -> each.getJsonArray("servers").contains(new JsonObject().put("$ref", "#/servers/kafka"))))
        .as("no other Kafka channel").hasSize(1);
  }

  @Test
  void every_routing_key_is_a_channel_on_the_switchboard_events_topic_exchange() {
    for (EventType<?> type : EventCatalog.ALL) {
      JsonObject channel = channelAt(type.module() + "." + type.name());
      assertThat(channel.getJsonArray("servers")).containsExactly(new JsonObject().put("$ref", "#/servers/rabbitmq"));
      assertThat(channel.getJsonObject("messages").fieldNames()).containsExactly(type.name());
      JsonObject exchange = channel.getJsonObject("bindings").getJsonObject("amqp").getJsonObject("exchange");
      assertThat(exchange.getString("name")).isEqualTo("switchboard.events");
      assertThat(exchange.getString("type")).isEqualTo("topic");
    }
  }

  @Test
  void each_type_is_sent_once_on_each_broker_by_its_producer_and_received_by_exactly_its_consumers() {
    Map<String, Set<String>> declared = Subscriptions.ALL.stream().collect(Collectors.toMap(
        subscription -> subscription.module() + "/" + subscription.consumer(),
        subscription -> subscription.types().stream().map(EventType::name).collect(Collectors.toCollection(TreeSet::new)),
        (a, b) -> a, TreeMap::new));

    for (String server : List.of("kafka", "rabbitmq")) {
      List<String> sent = new ArrayList<>();
      Map<String, Set<String>> received = new TreeMap<>();
      for (Operation operation : operationsOn(server)) {
        if (operation.sends()) {
          operation.types().forEach(type -> {
            assertThat(operation.address()).as(operation.id())
                .isEqualTo("kafka".equals(server) ? "switchboard.events" : type.module() + "." + type.name());
            sent.add(type.name());
          });
        } else {
          operation.types().forEach(type -> received.computeIfAbsent(operation.consumer(), key -> new TreeSet<>())
              .add(type.name()));
        }
      }

      assertThat(sent).as(server).containsExactlyInAnyOrderElementsOf(EventCatalog.ALL.stream().map(EventType::name).toList());
      assertThat(received).as(server).isEqualTo(declared);
    }
  }

  @Test
  void on_sqs_each_consumer_receives_its_types_from_its_fifo_queue_where_their_producers_send_them() {
    for (Subscriptions.Subscription subscription : Subscriptions.ALL) {
      String queue = "switchboard-" + subscription.consumer() + ".fifo";
      JsonObject channel = channelAt(queue);
      assertThat(channel.getJsonArray("servers")).containsExactly(new JsonObject().put("$ref", "#/servers/sqs"));
      assertThat(channel.getJsonObject("messages").fieldNames()).as(queue).containsExactlyInAnyOrderElementsOf(
          subscription.types().stream().map(EventType::name).toList());
    }
    Map<String, Set<String>> received = new TreeMap<>();
    Map<String, Set<String>> sent = new TreeMap<>();
    for (Operation operation : operationsOn("sqs")) {
      if (operation.sends()) {
        operation.types().forEach(type -> {
          assertThat(operation.id()).as("sent by the module that produces " + type.name())
              .startsWith(type.module() + ".send.sqs.");
          sent.computeIfAbsent(operation.address(), queue -> new TreeSet<>()).add(type.name());
        });
      } else {
        operation.types().forEach(type -> received.computeIfAbsent(operation.address(), queue -> new TreeSet<>())
            .add(type.name()));
      }
    }
    assertThat(sent).as("what is sent to each queue is what its consumer receives").isEqualTo(received);
    assertThat(received).isEqualTo(Subscriptions.ALL.stream().collect(Collectors.toMap(
        subscription -> "switchboard-" + subscription.consumer() + ".fifo",
        subscription -> subscription.types().stream().map(EventType::name).collect(Collectors.toCollection(TreeSet::new)),
        (a, b) -> a, TreeMap::new)));
  }

  @Test
  void a_kafka_consumer_reads_as_its_group_switchboard_dot_consumer() {
    for (Operation operation : operationsOn("kafka")) {
      if (!operation.sends()) {
        String consumer = operation.json().getJsonObject("x-consumer").getString("consumer");
        assertThat(operation.json().getJsonObject("bindings").getJsonObject("kafka").getJsonObject("groupId")
            .getJsonArray("enum")).as(operation.id()).containsExactly("switchboard." + consumer);
      }
    }
  }

  @Test
  void the_event_bus_bridge_is_a_server_with_the_live_addresses() {
    JsonObject server = document.getJsonObject("servers").getJsonObject("eventbus");

    assertThat(server.getString("pathname")).isEqualTo("/eventbus");
    assertThat(server.getString("description")).contains("Vert.x event bus");
    assertThat(channelAt("orders.status").getJsonArray("servers")).containsExactly(
        new JsonObject().put("$ref", "#/servers/eventbus"));
    assertThat(channelAt("events.live").getJsonArray("servers")).containsExactly(
        new JsonObject().put("$ref", "#/servers/eventbus"));
  }

  // ---- the node's real events fit their messages ---------------------------------------------

  @Test
  void every_kind_of_event_a_node_writes_is_valid_against_its_message_and_invalid_against_another() {
    List<JsonObject> events = new ArrayList<>();
    events.addAll(historyUpTo(node.place(order("customer-1", item("sku-1", 1, 10))), "NotificationSent"));
    events.addAll(historyUpTo(node.place(order("customer-2", item("sku-5", 201, 50))), "NotificationSent"));
    events.addAll(historyUpTo(node.place(order("customer-3", item("sku-unknown", 1, 10))), "NotificationSent"));
    node.place(order("customer-4", item(SCARCE, 2, 10)));
    node.awaitSubject(SCARCE, "InventoryLow for " + SCARCE, stored -> stored.stream()
            .anyMatch(event -> event.type().equals("InventoryLow")))
        .stream().map(StoredEvent::envelope).forEach(envelope -> events.add(envelope.toJson()));

    assertThat(events.stream().map(event -> event.getString("type")).collect(Collectors.toSet()))
        .containsExactlyInAnyOrderElementsOf(EventCatalog.ALL.stream().map(EventType::name).toList());
    for (JsonObject event : events) {
      String type = event.getString("type");
      assertThat(problems(payloadOf(type).validate(event))).as(type + " " + event.encode()).isEmpty();
      String another = "OrderPlaced".equals(type) ? "OrderCancelled" : "OrderPlaced";
      assertThat(problems(payloadOf(another).validate(event))).as(type + " as " + another).isNotEmpty();
    }
  }

  @Test
  void an_event_whose_data_breaks_its_schema_or_that_lacks_an_attribute_is_refused_by_its_message() {
    JsonObject placed = historyUpTo(node.place(order("customer-5", item("sku-1", 1, 10))), "OrderPlaced").get(0);
    assertThat(problems(payloadOf("OrderPlaced").validate(placed))).isEmpty();

    JsonObject withoutTotal = placed.copy();
    withoutTotal.getJsonObject("data").remove("total");
    JsonObject withoutSubject = placed.copy();
    withoutSubject.remove("subject");

    assertThat(problems(payloadOf("OrderPlaced").validate(withoutTotal))).isNotEmpty();
    assertThat(problems(payloadOf("OrderPlaced").validate(withoutSubject))).isNotEmpty();
  }

  // ---- helpers -----------------------------------------------------------------------------

  private static Arguments breakage(String name, String where, Consumer<JsonObject> breakIt) {
    return arguments(name, where, breakIt);
  }

  private static JsonObject section(JsonObject doc, String section, String id) {
    return doc.getJsonObject(section).getJsonObject(id);
  }

  private static Map<String, JsonObject> operations() {
    Map<String, JsonObject> operations = new TreeMap<>();
    document.getJsonObject("operations").forEach(entry -> operations.put(entry.getKey(), (JsonObject) entry.getValue()));
    return operations;
  }

  /** An operation read back from the document: what it does, where, with which event types. */
  private record Operation(String id, JsonObject json, String address, List<EventType<?>> types) {

    boolean sends() {
      return "send".equals(json.getString("action"));
    }

    /** {@code module/consumer} of a receiving operation. */
    String consumer() {
      JsonObject consumer = json.getJsonObject("x-consumer");
      return consumer.getString("module") + "/" + consumer.getString("consumer");
    }
  }

  private static List<Operation> operationsOn(String server) {
    List<Operation> found = new ArrayList<>();
    operations().forEach((id, operation) -> {
      JsonObject channel = (JsonObject) resolve(operation.getJsonObject("channel").getString("$ref"));
      if (channel.getJsonArray("servers").contains(new JsonObject().put("$ref", "#/servers/" + server))) {
        List<EventType<?>> types = operation.getJsonArray("messages").stream()
            .map(ref -> ((JsonObject) follow(((JsonObject) ref).getString("$ref"))).getString("name"))
            .<EventType<?>>map(name -> EventCatalog.byName(name).orElseThrow()).toList();
        found.add(new Operation(id, operation, channel.getString("address"), types));
      }
    });
    return found;
  }

  private static JsonObject channelAt(String address) {
    return document.getJsonObject("channels").stream().map(entry -> (JsonObject) entry.getValue())
        .filter(channel -> address.equals(channel.getString("address"))).findFirst()
        .orElseThrow(() -> new AssertionError("no channel has the address " + address));
  }

  /** The order's events over HTTP, once one of the given type is among them. */
  private static List<JsonObject> historyUpTo(String orderId, String type) {
    JsonArray history = node.awaitEvent(orderId, type);
    assertThat(types(history)).contains(type);
    return history.stream().map(JsonObject.class::cast).toList();
  }

  /**
   * A validator for one message's payload. Its references point into the document
   * ({@code #/components/schemas/...}); moved under {@code definitions} they make it a standalone
   * draft-07 schema, the dialect of the AsyncAPI Schema Object.
   */
  private static Validator payloadOf(String messageId) {
    JsonObject payload = document.getJsonObject("components").getJsonObject("messages").getJsonObject(messageId)
        .getJsonObject("payload");
    String standalone = new JsonObject()
        .put("definitions", document.getJsonObject("components").getJsonObject("schemas"))
        .put("allOf", new JsonArray().add(payload))
        .encode().replace("\"#/components/schemas/", "\"#/definitions/");
    return Validator.create(JsonSchema.of(new JsonObject(standalone)), new JsonSchemaOptions()
        .setDraft(Draft.DRAFT7)
        .setBaseUri("urn:switchboard:test:" + messageId)
        .setOutputFormat(OutputFormat.Basic));
  }

  private static void collectRefs(Object node, List<String> refs) {
    if (node instanceof JsonObject object) {
      if (object.getValue("$ref") instanceof String ref) {
        refs.add(ref);
      }
      object.forEach(entry -> collectRefs(entry.getValue(), refs));
    } else if (node instanceof JsonArray array) {
      array.forEach(element -> collectRefs(element, refs));
    }
  }

  /** What a reference finally points at, through references to references (a channel's messages are). */
  private static Object follow(String ref) {
    Object at = resolve(ref);
    while (at instanceof JsonObject object && object.size() == 1 && object.getValue("$ref") instanceof String next) {
      at = resolve(next);
    }
    return at;
  }

  /** What a local reference ({@code #/a/b}, JSON Pointer) points at in the document; null if nothing. */
  private static Object resolve(String ref) {
    if (!ref.startsWith("#/")) {
      return null;
    }
    Object at = document;
    for (String segment : ref.substring(2).split("/")) {
      String key = segment.replace("~1", "/").replace("~0", "~");
      if (at instanceof JsonObject object) {
        at = object.getValue(key);
      } else if (at instanceof JsonArray array && key.matches("\\d+") && Integer.parseInt(key) < array.size()) {
        at = array.getValue(Integer.parseInt(key));
      } else {
        return null;
      }
    }
    return at;
  }
}
