package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where one send's messages go, and in which SendMessageBatch calls: the fan-out SNS would do. An
 * event goes to the queue of every consumer subscribed to its type, a dead letter to its consumer's
 * dead-letter queue; each queue's messages keep the order they were given in, cut into batches of
 * at most {@value #MAX_ENTRIES} entries and {@value #MAX_BATCH_BYTES} bytes (SQS's limits on one call),
 * with at most one message of each order in a batch.
 */
final class SendPlan {

  static final int MAX_ENTRIES = 10;
  /** The payload SQS takes in one batch, all bodies and attributes together (256 KiB). */
  static final int MAX_BATCH_BYTES = 262_144;

  /** A queue of the wire: a consumer's, or its dead-letter queue. */
  record Target(String consumer, boolean deadLetters) {
    String queueName() {
      return deadLetters ? QueueNames.deadLetterQueueOf(consumer) : QueueNames.queueOf(consumer);
    }
  }

  private SendPlan() {
  }

  /**
   * The batches per queue, queues in the order their first message came; an event no consumer
   * subscribes to goes nowhere (as an SNS topic without subscriptions drops it).
   */
  static Map<Target, List<List<Outgoing>>> plan(List<Outgoing> messages, Map<String, Set<String>> subscribers) {
    Map<Target, List<Outgoing>> perQueue = new LinkedHashMap<>();
    for (Outgoing message : messages) {
      if (message.route() instanceof Route.Event event) {
        subscribers.forEach((consumer, types) -> {
          if (types.contains(event.type())) {
            perQueue.computeIfAbsent(new Target(consumer, false), target -> new ArrayList<>()).add(message);
          }
        });
      } else if (message.route() instanceof Route.DeadLetters letters) {
        perQueue.computeIfAbsent(new Target(letters.consumer(), true), target -> new ArrayList<>()).add(message);
      }
    }
    Map<Target, List<List<Outgoing>>> batches = new LinkedHashMap<>();
    perQueue.forEach((target, queued) -> batches.put(target, batches(queued)));
    return batches;
  }

  /**
   * Cuts one queue's messages into batches, also before a message whose key (message group) the batch
   * holds already: SQS may take some entries of a batch and refuse others, and a later event of an
   * order taken while an earlier one was refused would overtake it when the relay sends again. With
   * one message per group in a batch, and the batches sent one after the other (the next only once
   * the one before was taken whole), what SQS took of an order is always a prefix of it.
   */
  private static List<List<Outgoing>> batches(List<Outgoing> queued) {
    List<List<Outgoing>> batches = new ArrayList<>();
    List<Outgoing> batch = new ArrayList<>();
    Set<String> groups = new HashSet<>();
    int batchBytes = 0;
    for (Outgoing message : queued) {
      int bytes = sizeOf(message);
      if (!batch.isEmpty() && (batch.size() == MAX_ENTRIES || batchBytes + bytes > MAX_BATCH_BYTES
          || groups.contains(message.key()))) {
        batches.add(batch);
        batch = new ArrayList<>();
        groups.clear();
        batchBytes = 0;
      }
      batch.add(message);
      groups.add(message.key());
      batchBytes += bytes;
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }

  /** As SQS counts a message against its limits: the body, and each attribute's name, type and value. */
  static int sizeOf(Outgoing message) {
    int bytes = message.body().length;
    for (Map.Entry<String, String> attribute : MessageAttributes.of(message).entrySet()) {
      bytes += utf8(attribute.getKey()) + utf8(MessageAttributes.DATA_TYPE) + utf8(attribute.getValue());
    }
    return bytes;
  }

  private static int utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
