package dev.switchboard.transports.kafka;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;
import dev.switchboard.runtime.transport.wire.AsyncApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The Kafka side of the AsyncAPI document: one topic for every event, keyed by the order id, so that
 * each consumer group reads every event of an order in the order it was published; each module sends
 * its events to it, and each consumer group receives from it the types it subscribes to.
 */
final class KafkaChannels {

  private static final String SERVER = "kafka";
  private static final String CHANNEL_ID = "kafka.events";
  /** A record's key is the envelope's {@code subject}: one order's events keep their order. */
  private static final String KEY = "subject";

  private KafkaChannels() {
  }

  static void describe(AsyncApi doc) {
    JsonObject server = doc.server(SERVER, new JsonObject()
        .put("host", "{bootstrapServers}")
        .put("protocol", "kafka")
        .put("title", "Kafka")
        .put("description", "With transport.type=kafka. One topic, " + Topics.EVENTS + ", for every "
            + "event; the record key is the event's subject (the order id), the value the CloudEvent as JSON. Each "
            + "consumer is the group switchboard.<consumer> and skips the types it does not handle.")
        .put("variables", new JsonObject().put("bootstrapServers", new JsonObject()
            .put("default", "127.0.0.1:9092")
            .put("description", "transport.kafka.bootstrapServers"))));
    JsonObject channel = doc.channel(CHANNEL_ID, new JsonObject()
        .put("address", Topics.EVENTS)
        .put("title", "Every event")
        .put("servers", new JsonArray().add(server))
        .put("messages", AsyncApi.messagesOf(EventCatalog.ALL.stream().map(EventType::name).toList())));
    for (String module : producers()) {
      List<String> produced = EventCatalog.ALL.stream().filter(type -> type.module().equals(module))
          .map(EventType::name).toList();
      doc.operation(module + ".send.kafka", AsyncApi.send(channel, CHANNEL_ID, produced,
          module + " publishes its events, relayed from its outbox once stored."));
    }
    for (Subscriptions.Subscription subscription : Subscriptions.ALL) {
      List<String> received = subscription.types().stream().map(EventType::name).toList();
      doc.operation(subscription.consumer() + ".receive.kafka",
          AsyncApi.receive(channel, CHANNEL_ID, received, subscription, subscription.consumer() + " ("
                  + subscription.module() + ") handles these events, each order's in the order they were "
                  + "published; offsets are committed once handled.")
              .put("bindings", new JsonObject().put("kafka", new JsonObject()
                  .put("groupId", new JsonObject().put("type", "string")
                      .put("enum", new JsonArray().add(Topics.groupOf(subscription.consumer()))))
                  .put("bindingVersion", "0.5.0"))));
    }
  }

  /** The modules that produce events, in catalog order. */
  private static List<String> producers() {
    return EventCatalog.ALL.stream().map(EventType::module).distinct().toList();
  }

  /** An event type's entry in the catalog: the topic and the envelope attribute its records are keyed by. */
  static JsonObject of(EventType<?> type) {
    return new JsonObject().put("topic", Topics.EVENTS).put("key", KEY);
  }
}
