package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;
import dev.switchboard.runtime.transport.wire.AsyncApi;
import dev.switchboard.runtime.transport.wire.Route;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The RabbitMQ side of the AsyncAPI document: one channel per routing key {@code <module>.<type>} on
 * the topic exchange; the producer sends persistent messages to it, each consumer receives them from
 * its own durable queue, bound with {@code <module>.*} for every module whose events it takes.
 */
final class RabbitMqChannels {

  private static final String SERVER = "rabbitmq";
  private static final String BINDING_VERSION = "0.3.0";
  private static final int PERSISTENT = 2;

  private RabbitMqChannels() {
  }

  static void describe(AsyncApi doc) {
    JsonObject server = doc.server(SERVER, new JsonObject()
        .put("host", "{host}")
        .put("protocol", "amqp")
        .put("protocolVersion", "0.9.1")
        .put("title", "RabbitMQ")
        .put("description", "With transport.type=rabbitmq. Every event goes to the topic exchange "
            + Names.EXCHANGE + " with the routing key <module>.<type>, persistent; each "
            + "consumer reads its durable queue switchboard.<consumer> and acknowledges once handled.")
        .put("variables", new JsonObject().put("host", new JsonObject()
            .put("default", "127.0.0.1:5672")
            .put("description", "host and port of transport.rabbitmq.uri"))));
    for (EventType<?> type : EventCatalog.ALL) {
      routingKey(doc, server, type);
    }
  }

  private static String channelId(EventType<?> type) {
    return "rabbitmq." + routingKeyOf(type);
  }

  private static void routingKey(AsyncApi doc, JsonObject server, EventType<?> type) {
    String channelId = channelId(type);
    List<String> message = List.of(type.name());
    JsonObject channel = doc.channel(channelId, new JsonObject()
        .put("address", routingKeyOf(type))
        .put("title", type.name() + " on " + Names.EXCHANGE)
        .put("servers", new JsonArray().add(server))
        .put("messages", AsyncApi.messagesOf(message))
        .put("bindings", new JsonObject().put("amqp", new JsonObject()
            .put("is", "routingKey")
            .put("exchange", new JsonObject()
                .put("name", Names.EXCHANGE)
                .put("type", "topic")
                .put("durable", true)
                .put("autoDelete", false))
            .put("bindingVersion", BINDING_VERSION))));
    doc.operation(type.module() + ".send.rabbitmq." + type.name(), AsyncApi.send(channel, channelId, message,
            type.module() + " publishes " + type.name() + ", relayed from its outbox once stored.")
        .put("bindings", new JsonObject().put("amqp", new JsonObject()
            .put("deliveryMode", PERSISTENT)
            .put("bindingVersion", BINDING_VERSION))));
    for (Subscriptions.Subscription subscription : Subscriptions.to(type)) {
      doc.operation(subscription.consumer() + ".receive.rabbitmq." + type.name(),
          AsyncApi.receive(channel, channelId, message, subscription, subscription.consumer() + " ("
                  + subscription.module() + ") handles " + type.name() + " from its queue "
                  + Names.queueOf(subscription.consumer()) + ", bound with "
                  + type.module() + ".*.")
              .put("bindings", new JsonObject().put("amqp", new JsonObject()
                  .put("ack", true)
                  .put("bindingVersion", BINDING_VERSION))));
    }
  }

  /** An event type's entry in the catalog: the exchange and the routing key its messages carry. */
  static JsonObject of(EventType<?> type) {
    return new JsonObject().put("exchange", Names.EXCHANGE).put("routingKey", routingKeyOf(type));
  }

  private static String routingKeyOf(EventType<?> type) {
    return Names.routingKey(new Route.Event(type.module(), type.name()));
  }
}
