package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.transport.wire.ClientFutures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Writes records with the idempotent, {@code acks=all} producer and succeeds only once the broker
 * has acknowledged every one of them, or fails within the delivery timeout.
 *
 * <p>A batch is handed to the producer in one blocking task off the event loop, because
 * {@code send} may block (waiting for a topic's metadata or for buffer space) and would do so once
 * per record while a broker is away: the first record the producer refuses at once ends the batch
 * (the rest would only wait as long, one after the other). Records of one subject keep their
 * order: the producer keeps the order of each partition, retries included.
 */
final class KafkaPublisher {

  private final Producer<String, byte[]> producer;
  private final TopicProvisioner topics;
  private final KafkaSettings settings;

  KafkaPublisher(Producer<String, byte[]> producer, TopicProvisioner topics, KafkaSettings settings) {
    this.producer = producer;
    this.topics = topics;
    this.settings = settings;
  }

  /** Makes sure the records' topics exist, then sends them and waits for every acknowledgement. */
  Future<Void> send(List<ProducerRecord<String, byte[]>> records, Context context) {
    if (records.isEmpty()) {
      return Future.succeededFuture();
    }
    Set<String> names = records.stream().map(ProducerRecord::topic).collect(Collectors.toSet());
    // a backstop only: the producer itself gives up after max.block.ms plus delivery.timeout.ms
    long bound = (long) settings.requestTimeoutMillis() + settings.deliveryTimeoutMillis() + 1_000L;
    return topics.ensure(names, context)
        .compose(v -> context.executeBlocking(() -> handOver(records), false))
        .compose(acknowledged -> Future.fromCompletionStage(acknowledged, context))
        .timeout(bound, TimeUnit.MILLISECONDS)
        .<Void>mapEmpty()
        .recover(failure -> {
          Throwable cause = ClientFutures.unwrap(failure);
          return Future.failedFuture(new PublishFailed("Kafka did not take " + records.size() + " record(s) for "
              + names + ": " + cause, cause));
        });
  }

  /** Closes the producer, waiting up to the request timeout for what it still holds to be sent. Blocking. */
  void closeBlocking() {
    producer.close(Duration.ofMillis(settings.requestTimeoutMillis()));
  }

  private CompletableFuture<Void> handOver(List<ProducerRecord<String, byte[]>> records) {
    List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(records.size());
    for (ProducerRecord<String, byte[]> record : records) {
      CompletableFuture<RecordMetadata> ack = new CompletableFuture<>();
      producer.send(record, (metadata, failure) -> {
        if (failure == null) {
          ack.complete(metadata);
        } else {
          ack.completeExceptionally(failure);
        }
      });
      acks.add(ack);
      if (ack.isCompletedExceptionally()) {
        break; // refused at once (no metadata within max.block.ms, producer closed): so would the rest be
      }
    }
    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
  }
}
