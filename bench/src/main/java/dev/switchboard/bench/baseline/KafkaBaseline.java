package dev.switchboard.bench.baseline;

import dev.switchboard.app.config.Configuration;
import dev.switchboard.bench.Result;
import dev.switchboard.transports.kafka.KafkaSettings;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The raw ceilings of a Kafka broker, for records of our events' size keyed by order as ours are:
 * an idempotent producer with {@code acks=all} sending as fast as the broker acknowledges, then a
 * consumer in a group of its own reading them back and committing each poll synchronously. The
 * topic has the partitions our transport gives its topics.
 */
public final class KafkaBaseline {

  /** The partitions our transport gives a topic it makes, by default. */
  private static final int PARTITIONS = KafkaSettings.from(
      Configuration.defaults().getJsonObject("transport").getJsonObject("kafka")).partitions();
  private static final int KEYS = 1024;

  private final String bootstrapServers;

  public KafkaBaseline(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Two results: the producer's acknowledged records/s, and the consumer's records/s. */
  public List<Result> run(Duration duration) throws Exception {
    String topic = "baseline-" + System.currentTimeMillis();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, (short) 1))).all().get(60, TimeUnit.SECONDS);
      try {
        Result produced = produce(topic, duration);
        Result consumed = consume(topic, Math.round(produced.details().getLong("records")), duration);
        return List.of(produced, consumed);
      } finally {
        admin.deleteTopics(List.of(topic)).all().get(60, TimeUnit.SECONDS);
      }
    }
  }

  private Result produce(String topic, Duration duration) throws Exception {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all",
        ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
        ProducerConfig.LINGER_MS_CONFIG, 5);
    AtomicLong acknowledged = new AtomicLong();
    AtomicReference<Exception> failed = new AtomicReference<>();
    double seconds;
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
        new StringSerializer())) {
      long started = System.nanoTime();
      long until = started + duration.toNanos();
      // send() blocks once the producer's buffer is full: the broker's acknowledgements pace the loop
      for (long n = 0; System.nanoTime() < until && failed.get() == null; n++) {
        producer.send(new ProducerRecord<>(topic, "order-" + (n % KEYS), SampleRows.ENVELOPE), (metadata, error) -> {
          if (error != null) {
            failed.compareAndSet(null, error);
          } else {
            acknowledged.incrementAndGet();
          }
        });
      }
      producer.flush();
      seconds = (System.nanoTime() - started) / 1e9;
    }
    if (failed.get() != null) {
      throw new IllegalStateException("the Kafka baseline producer failed", failed.get());
    }
    return new Result("baseline: Kafka producer, acks=all", "records", acknowledged.get() / seconds,
        new JsonObject().put("records", acknowledged.get()).put("partitions", PARTITIONS));
  }

  private Result consume(String topic, long expected, Duration limit) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, topic + "-reader",
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
        ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    long read = 0;
    long started = 0;
    long deadline = System.nanoTime() + limit.multipliedBy(3).toNanos();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (read < expected && System.nanoTime() < deadline) {
        ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(500));
        if (records.isEmpty()) {
          continue;
        }
        if (started == 0) {
          started = System.nanoTime(); // from the first records: joining the group is not reading
        }
        read += records.count();
        consumer.commitSync();
      }
    }
    double seconds = started == 0 ? 1 : (System.nanoTime() - started) / 1e9;
    return new Result("baseline: Kafka consumer, commit per poll", "records", read / seconds,
        new JsonObject().put("records", read).put("expected", expected));
  }
}
