package dev.switchboard.bench.baseline;

import dev.switchboard.bench.Result;
import dev.switchboard.transports.sqs.testing.ElasticMq;
import io.vertx.core.json.JsonObject;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The raw ceilings of an SQS server (the bench's ElasticMQ, in this JVM), for messages of our events'
 * size on a FIFO queue as our wire makes them, grouped by 1,024 orders: senders putting
 * SendMessageBatch calls of ten side by side as fast as they are answered, then receivers taking
 * them back ten at a time and deleting each batch at once.
 */
public final class SqsBaseline {

  private static final int KEYS = 1024;
  private static final int BATCH = 10;
  /** Calls in flight at once: as many as the wire has when the relay sends to several queues and consumers poll. */
  private static final int CALLERS = 8;

  private final ElasticMq server;

  public SqsBaseline(ElasticMq server) {
    this.server = server;
  }

  /** Two results: the senders' messages/s taken, and the receivers' messages/s received and deleted. */
  public List<Result> run(Duration duration) throws Exception {
    try (SqsClient client = server.client()) {
      String url = client.createQueue(request -> request.queueName("baseline-" + System.currentTimeMillis() + ".fifo")
          .attributes(Map.of(QueueAttributeName.FIFO_QUEUE, "true",
              QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false"))).queueUrl();
      try {
        Result sent = send(client, url, duration);
        Result received = receive(client, url, Math.round(sent.details().getLong("messages")), duration);
        return List.of(sent, received);
      } finally {
        client.deleteQueue(request -> request.queueUrl(url));
      }
    }
  }

  private Result send(SqsClient client, String url, Duration duration) throws Exception {
    AtomicLong taken = new AtomicLong();
    AtomicLong sequence = new AtomicLong();
    long started = System.nanoTime();
    long until = started + duration.toNanos();
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int caller = 0; caller < CALLERS; caller++) {
        loops.add(callers.submit(() -> {
          while (System.nanoTime() < until) {
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
              long n = sequence.getAndIncrement();
              entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i))
                  .messageBody(SampleRows.ENVELOPE).messageGroupId("order-" + (n % KEYS))
                  .messageDeduplicationId(UUID.randomUUID().toString()).build());
            }
            SendMessageBatchResponse response = client.sendMessageBatch(request -> request.queueUrl(url)
                .entries(entries));
            if (response.hasFailed() && !response.failed().isEmpty()) {
              throw new IllegalStateException("SQS refused " + response.failed().size() + " message(s): "
                  + response.failed().get(0).message());
            }
            taken.addAndGet(response.successful().size());
          }
          return null;
        }));
      }
      for (Future<?> loop : loops) {
        loop.get(duration.toSeconds() + 60, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdownNow();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result("baseline: SQS FIFO SendMessageBatch of 10, " + CALLERS + " in flight", "messages",
        taken.get() / seconds, new JsonObject().put("messages", taken.get()).put("groups", KEYS));
  }

  private Result receive(SqsClient client, String url, long expected, Duration limit) throws Exception {
    AtomicLong read = new AtomicLong();
    long started = System.nanoTime();
    long deadline = started + limit.multipliedBy(3).toNanos();
    ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
    try {
      List<Future<?>> loops = new ArrayList<>();
      for (int caller = 0; caller < CALLERS; caller++) {
        loops.add(callers.submit(() -> {
          while (read.get() < expected && System.nanoTime() < deadline) {
            List<Message> messages = client.receiveMessage(request -> request.queueUrl(url)
                .maxNumberOfMessages(BATCH).waitTimeSeconds(1).visibilityTimeout(30)).messages();
            if (messages.isEmpty()) {
              continue;
            }
            List<DeleteMessageBatchRequestEntry> deletes = new ArrayList<>(messages.size());
            for (int i = 0; i < messages.size(); i++) {
              deletes.add(DeleteMessageBatchRequestEntry.builder().id(Integer.toString(i))
                  .receiptHandle(messages.get(i).receiptHandle()).build());
            }
            client.deleteMessageBatch(request -> request.queueUrl(url).entries(deletes));
            read.addAndGet(messages.size());
          }
          return null;
        }));
      }
      for (Future<?> loop : loops) {
        loop.get(limit.multipliedBy(3).toSeconds() + 60, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdownNow();
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Result("baseline: SQS FIFO receive 10, delete batch, " + CALLERS + " in flight", "messages",
        read.get() / seconds, new JsonObject().put("messages", read.get()).put("expected", expected));
  }
}
