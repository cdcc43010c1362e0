package dev.switchboard.transports.sqs;

import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;
import dev.switchboard.runtime.transport.wire.AsyncApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The Amazon SQS side of the AsyncAPI document and the catalog: one FIFO queue per consumer, which
 * receives from it the types it subscribes to; each producing module sends its events to the queue
 * of every consumer of their type (the SQS wire's own fan-out, as an SNS topic would do it), under
 * the wire's own names ({@link QueueNames}).
 */
final class SqsChannels {

  private static final String SERVER = "sqs";
  /** The message group of every event: one order's events keep their order. */
  private static final String MESSAGE_GROUP = "subject";

  private SqsChannels() {
  }

  /** An event type's entry in the catalog: the queues it is put on and what groups its messages. */
  static JsonObject of(EventType<?> type) {
    return new JsonObject().put("queues", queuesOf(type)).put("messageGroupId", MESSAGE_GROUP);
  }

  /** The queues an event of {@code type} is put on: those of its consumers. */
  private static JsonArray queuesOf(EventType<?> type) {
    JsonArray queues = new JsonArray();
    Subscriptions.to(type).forEach(subscription -> queues.add(QueueNames.queueOf(subscription.consumer())));
    return queues;
  }

  static void describe(AsyncApi doc) {
    JsonObject server = doc.server(SERVER, new JsonObject()
        .put("host", "{endpoint}")
        .put("protocol", "sqs")
        .put("title", "Amazon SQS")
        .put("description", "With transport.type=sqs. Each consumer has the FIFO queue switchboard-<consumer>.fifo "
            + "(its event types in the queue's switchboard-types tag); every event is put on the queue of each "
            + "consumer of its type, with the event's subject as message group, its id as deduplication id, the "
            + "CloudEvent as JSON body and a type message attribute. Dead letters: switchboard-<consumer>-dlq.fifo.")
        .put("variables", new JsonObject().put("endpoint", new JsonObject()
            .put("default", "sqs.eu-west-1.amazonaws.com")
            .put("description", "transport.sqs.endpoint, or the endpoint of transport.sqs.region"))));
    for (Subscriptions.Subscription subscription : Subscriptions.ALL) {
      queue(doc, server, subscription);
    }
  }

  private static void queue(AsyncApi doc, JsonObject server, Subscriptions.Subscription subscription) {
    String consumer = subscription.consumer();
    List<String> received = subscription.types().stream().map(EventType::name).toList();
    String channelId = "sqs." + consumer;
    JsonObject channel = doc.channel(channelId, new JsonObject()
        .put("address", QueueNames.queueOf(consumer))
        .put("title", "Queue of " + consumer)
        .put("servers", new JsonArray().add(server))
        .put("messages", AsyncApi.messagesOf(received)));
    for (String module : subscription.types().stream().map(EventType::module).distinct().toList()) {
      List<String> sent = subscription.types().stream().filter(type -> type.module().equals(module))
          .map(EventType::name).toList();
      doc.operation(module + ".send.sqs." + consumer, AsyncApi.send(channel, channelId, sent,
          module + " puts these events on the queue of " + consumer + ", relayed from its outbox once stored."));
    }
    doc.operation(consumer + ".receive.sqs", AsyncApi.receive(channel, channelId, received, subscription,
        consumer + " (" + subscription.module() + ") handles these events from its queue and deletes each once "
            + "handled; after too many receives SQS moves one to " + QueueNames.deadLetterQueueOf(consumer) + "."));
  }
}
