package dev.switchboard.transports.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Plain Kafka clients, as a foreign application (not Switchboard, not Vert.x) would use them: to
 * prove that others can read what we publish and write what we consume. Blocking: test thread only.
 */
final class ForeignClients {

  private final String bootstrapServers;

  ForeignClients(String bootstrapServers) {
    this.bootstrapServers = bootstrapServers;
  }

  /** Writes records one by one, each acknowledged before the next, so their order on a partition is theirs. */
  void produce(List<ProducerRecord<String, String>> records) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config, new StringSerializer(),
        new StringSerializer())) {
      for (ProducerRecord<String, String> record : records) {
        producer.send(record).get(30, TimeUnit.SECONDS);
      }
    } catch (Exception e) {
      throw new AssertionError("the foreign producer could not write " + records, e);
    }
  }

  /** Writes one record of raw bytes, without a key, as a client that knows nothing of CloudEvents would. */
  void produceBytes(String topic, byte[] value) {
    Map<String, Object> config = Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, value)).get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("the foreign producer could not write to " + topic, e);
    }
  }

  /**
   * Reads a topic from the beginning, in a group of its own, until the records read so far satisfy
   * {@code enough}; an {@link AssertionError} with what was read if they do not within the deadline.
   */
  List<ConsumerRecord<String, String>> readUntil(String topic, Predicate<List<ConsumerRecord<String, String>>> enough) {
    Map<String, Object> config = Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.GROUP_ID_CONFIG, "foreign-reader-" + UUID.randomUUID(),
        ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, String>> read = new ArrayList<>();
    long deadline = System.nanoTime() + Eventually.DEADLINE.toNanos();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(config, new StringDeserializer(),
        new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (!enough.test(read)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("a plain consumer of " + topic + " read only " + read.size() + " record(s): " + read);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(read::add);
      }
    }
    return read;
  }

  /** Offsets a consumer group committed, per partition. */
  Map<TopicPartition, Long> committedOffsets(String group) {
    try (Admin admin = admin()) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      return committed.entrySet().stream().filter(e -> e.getValue() != null)
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (Exception e) {
      throw new AssertionError("cannot read the offsets of group " + group, e);
    }
  }

  /** The end of every partition of a topic: where a consumer that read everything would be. */
  Map<TopicPartition, Long> endOffsets(String topic) {
    try (Admin admin = admin()) {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS)
          .get(topic);
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
      return admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS).entrySet().stream()
          .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    } catch (Exception e) {
      throw new AssertionError("cannot read the end offsets of " + topic, e);
    }
  }

  TopicDescription describe(String topic) {
    try (Admin admin = admin()) {
      return admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic);
    } catch (Exception e) {
      throw new AssertionError("cannot describe " + topic, e);
    }
  }

  String topicConfig(String topic, String name) {
    ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
    try (Admin admin = admin()) {
      return admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource).get(name).value();
    } catch (Exception e) {
      throw new AssertionError("cannot read " + name + " of " + topic, e);
    }
  }

  private Admin admin() {
    return Admin.create(Map.of("bootstrap.servers", bootstrapServers));
  }
}
