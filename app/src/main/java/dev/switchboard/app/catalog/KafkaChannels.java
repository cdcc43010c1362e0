package dev.switchboard.app.catalog;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The Kafka side of the AsyncAPI document: one topic per producing module, which that module sends
 * to and each consumer group receives from, for the types it subscribes to.
 */
final class KafkaChannels {

  private static final String SERVER = "kafka";

  private KafkaChannels() {
  }

  static void describe(AsyncApi doc) {
    JsonObject server = doc.server(SERVER, new JsonObject()
        .put("host", "{bootstrapServers}")
        .put("protocol", "kafka")
        .put("title", "Kafka")
        .put("description", "With transport.type=kafka. One topic per producing module; the record key is the "
            + "event's subject, the value the CloudEvent as JSON. Each consumer is the group switchboard.<consumer>.")
        .put("variables", new JsonObject().put("bootstrapServers", new JsonObject()
            .put("default", "127.0.0.1:9092")
            .put("description", "transport.kafka.bootstrapServers"))));
    for (String module : producers()) {
      topic(doc, server, module);
    }
  }

  private static String channelId(String module) {
    return "kafka." + module;
  }

  private static void topic(AsyncApi doc, JsonObject server, String module) {
    List<String> produced = EventCatalog.ALL.stream().filter(type -> type.module().equals(module))
        .map(EventType::name).toList();
    String channelId = channelId(module);
    JsonObject channel = doc.channel(channelId, new JsonObject()
        .put("address", TransportNames.kafkaTopic(module))
        .put("title", "Events of " + module)
        .put("servers", new JsonArray().add(server))
        .put("messages", AsyncApi.messagesOf(produced)));
    doc.operation(module + ".send.kafka", AsyncApi.send(channel, channelId, produced,
        module + " publishes its events, relayed from its outbox once stored."));
    for (Subscriptions.Subscription subscription : Subscriptions.ALL) {
      List<String> received = subscription.types().stream().filter(type -> type.module().equals(module))
          .map(EventType::name).toList();
      if (received.isEmpty()) {
        continue;
      }
      doc.operation(subscription.consumer() + ".receive.kafka." + module,
          AsyncApi.receive(channel, channelId, received, subscription, subscription.consumer() + " ("
                  + subscription.module() + ") handles these events of " + module + "; offsets are committed once "
                  + "handled.")
              .put("bindings", new JsonObject().put("kafka", new JsonObject()
                  .put("groupId", new JsonObject().put("type", "string")
                      .put("enum", new JsonArray().add(TransportNames.kafkaGroup(subscription.consumer()))))
                  .put("bindingVersion", "0.5.0"))));
    }
  }

  /** The modules that produce events, in catalog order. */
  private static List<String> producers() {
    return EventCatalog.ALL.stream().map(EventType::module).distinct().toList();
  }
}
