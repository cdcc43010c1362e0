package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.transport.wire.Outgoing;
import io.vertx.core.Future;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.MessageAttributeValue;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends messages as the {@link SendPlan} says: the queues side by side, each queue's batches one
 * after the other (so that an order's events keep their order), every entry with the order id as
 * its message group and the message id as its deduplication id (a send the relay repeats after a
 * failure puts nothing twice within SQS's five-minute window). A queue found missing is made again
 * (ElasticMQ without persistence forgets its queues when it restarts) and its batch sent once more.
 */
final class SqsSender {

  private final SqsAsyncClient sqs;
  private final QueueProvisioner queues;
  private final Subscribers subscribers;

  SqsSender(SqsAsyncClient sqs, QueueProvisioner queues, Subscribers subscribers) {
    this.sqs = sqs;
    this.queues = queues;
    this.subscribers = subscribers;
  }

  /** Succeeds once SQS took every message on every queue it goes to; fails with the first refusal otherwise. */
  Future<Void> send(List<Outgoing> messages) {
    if (messages.isEmpty()) {
      return Future.succeededFuture();
    }
    return subscribers.current().compose(subscribed -> {
      Map<SendPlan.Target, List<List<Outgoing>>> plan = SendPlan.plan(messages, subscribed);
      List<Future<Void>> perQueue = new ArrayList<>();
      plan.forEach((target, batches) -> perQueue.add(sendInTurn(target, batches, 0,
          subscribed.getOrDefault(target.consumer(), Set.of()))));
      return Future.all(perQueue).mapEmpty();
    });
  }

  private Future<Void> sendInTurn(SendPlan.Target target, List<List<Outgoing>> batches, int next, Set<String> types) {
    if (next == batches.size()) {
      return Future.succeededFuture();
    }
    return sendBatch(target, batches.get(next), types, true)
        .compose(v -> sendInTurn(target, batches, next + 1, types));
  }

  private Future<Void> sendBatch(SendPlan.Target target, List<Outgoing> batch, Set<String> types,
                                 boolean mayRemake) {
    String queue = target.queueName();
    return queues.urlOf(queue)
        .compose(url -> SqsCalls.call(null, () -> sqs.sendMessageBatch(request -> request.queueUrl(url)
            .entries(entries(batch)))))
        .compose(response -> allTaken(queue, batch.size(), response))
        .recover(failure -> {
          if (!mayRemake || !SqsCalls.isMissingQueue(failure)) {
            return Future.failedFuture(failure);
          }
          queues.forget(queue);
          return remake(target, types).compose(url -> sendBatch(target, batch, types, false));
        });
  }

  private Future<String> remake(SendPlan.Target target, Set<String> types) {
    return target.deadLetters() ? queues.provisionDeadLetters(target.consumer())
        : queues.provision(target.consumer(), types);
  }

  private static Future<Void> allTaken(String queue, int sent, SendMessageBatchResponse response) {
    if (!response.hasFailed() || response.failed().isEmpty()) {
      return Future.succeededFuture();
    }
    BatchResultErrorEntry first = response.failed().get(0);
    return Future.failedFuture(new IllegalStateException("SQS refused " + response.failed().size() + " of " + sent
        + " message(s) on " + queue + ": " + first.code() + " " + first.message()));
  }

  static List<SendMessageBatchRequestEntry> entries(List<Outgoing> batch) {
    List<SendMessageBatchRequestEntry> entries = new ArrayList<>(batch.size());
    for (int index = 0; index < batch.size(); index++) {
      Outgoing message = batch.get(index);
      Map<String, MessageAttributeValue> attributes = new LinkedHashMap<>();
      MessageAttributes.of(message).forEach((name, value) -> attributes.put(name, MessageAttributeValue.builder()
          .dataType(MessageAttributes.DATA_TYPE).stringValue(value).build()));
      entries.add(SendMessageBatchRequestEntry.builder()
          .id(String.valueOf(index))
          .messageBody(new String(message.body(), StandardCharsets.UTF_8))
          .messageGroupId(message.key())
          .messageDeduplicationId(message.id())
          .messageAttributes(attributes)
          .build());
    }
    return entries;
  }
}
