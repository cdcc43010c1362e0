package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Route;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where one send's messages go, and in which SendMessageBatch calls: the fan-out SNS would do. An
 * event goes to the queue of every consumer subscribed to its type, a dead letter to its consumer's
 * dead-letter queue; each queue's messages keep the order they were given in, cut into batches of
 * at most {@value #MAX_ENTRIES} entries and {@value #MAX_BATCH_BYTES} bytes (SQS's limits on one call).
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

  private static List<List<Outgoing>> batches(List<Outgoing> queued) {
    List<List<Outgoing>> batches = new ArrayList<>();
    List<Outgoing> batch = new ArrayList<>();
    int batchBytes = 0;
    for (Outgoing message : queued) {
      int bytes = sizeOf(message);
      if (!batch.isEmpty() && (batch.size() == MAX_ENTRIES || batchBytes + bytes > MAX_BATCH_BYTES)) {
        batches.add(batch);
        batch = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(message);
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
