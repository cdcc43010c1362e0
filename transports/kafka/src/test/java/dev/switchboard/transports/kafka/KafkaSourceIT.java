package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.Source;
import dev.switchboard.transports.kafka.testing.KafkaBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kafka source itself, below the runtime's delivery engine: pausing keeps the consumer polling
 * and in its group, commits are contiguous (a released record holds its partition back), and a record
 * of a revoked partition is no longer held. Its own broker, with the events' topic in one partition,
 * and each test's consumer group set to start at its end, so that the offsets are known.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaSourceIT {

  private static final int MAX_POLL_RECORDS = 5;
  private static final TopicPartition EVENTS = new TopicPartition(Topics.EVENTS, 0);

  private static KafkaBroker broker;
  private static ForeignClients foreign;

  private Vertx vertx;
  private KafkaWire wire;
  private final List<Source> sources = new ArrayList<>();
  /** Where this test's consumer group started reading. */
  private long start;

  @BeforeAll
  static void startTheBroker() {
    broker = new KafkaBroker().start();
    foreign = new ForeignClients(broker.bootstrapServers());
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(Topics.EVENTS, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot create the events' topic", e);
    }
  }

  @AfterAll
  static void stopTheBroker() {
    broker.close();
  }

  @BeforeEach
  void openWire() {
    vertx = Vertx.vertx();
    wire = KafkaWire.create(vertx, KafkaTestSettings.from(new JsonObject()
        .put("bootstrapServers", broker.bootstrapServers())
        .put("partitions", 1)
        .put("maxPollRecords", MAX_POLL_RECORDS)
        .put("commitIntervalMillis", 3_600_000) // only a close or a revocation commits
        .put("requestTimeoutMillis", 3_000)
        .put("deliveryTimeoutMillis", 6_000)));
  }

  @AfterEach
  void closeWire() {
    try {
      sources.forEach(source -> Await.result(source.close()));
      Await.result(wire.close());
    } finally {
      Await.result(vertx.close());
    }
  }

  @Test
  void a_paused_source_keeps_polling_in_its_group_takes_at_most_one_poll_more_and_resumed_gets_the_rest() {
    String consumer = startingAtTheEnd(unique("paused"));
    List<Arrival> arrived = new CopyOnWriteArrayList<>();
    write(1);
    Source source = open(consumer, arrived);
    Eventually.until("the first record arrives", () -> arrived.size() == 1);

    source.pause();
    pauseBriefly(); // the next poll pauses the partition
    write(40);
    pauseBriefly();
    pauseBriefly();

    assertThat(arrived.size() - 1).as("records arriving after the pause").isLessThanOrEqualTo(MAX_POLL_RECORDS);
    assertThat(groupOf(consumer).members()).as("a paused source stays in its group").hasSize(1);
    source.resume();
    Eventually.until("every record arrives", () -> arrived.size() == 41);
    arrived.forEach(Arrival::acknowledge);
    closeAll();
    assertThat(committed(consumer)).as("acknowledged, committed on close").isEqualTo(41);
  }

  @Test
  void only_the_contiguous_acknowledged_offsets_are_committed_and_a_released_record_is_read_again() {
    String consumer = startingAtTheEnd(unique("contiguous"));
    List<Arrival> first = new CopyOnWriteArrayList<>();
    write(3);
    open(consumer, first);
    Eventually.until("three records arrive", () -> first.size() == 3);

    first.get(0).acknowledge();
    first.get(1).release();
    first.get(2).acknowledge();
    closeAll();

    assertThat(committed(consumer)).as("committed up to the released record, not past it").isEqualTo(1);
    List<Arrival> second = new CopyOnWriteArrayList<>();
    open(consumer, second);
    Eventually.until("the released record and the one after it arrive again", () -> second.size() == 2);
    assertThat(second).extracting(Arrival::where).containsExactly(first.get(1).where(), first.get(2).where());
  }

  @Test
  void a_record_is_no_longer_held_once_its_partition_is_revoked_and_not_after_its_source_closed() {
    String consumer = startingAtTheEnd(unique("revoked"));
    List<Arrival> first = new CopyOnWriteArrayList<>();
    write(1);
    Source source = open(consumer, first);
    Eventually.until("a record arrives", () -> !first.isEmpty());
    assertThat(first.get(0).held()).isTrue();

    open(consumer, new CopyOnWriteArrayList<>()); // a second member: the group rebalances

    Eventually.until("the first source's partition is revoked", () -> !first.get(0).held());
    Await.result(source.close());
    assertThat(first.get(first.size() - 1).held()).isFalse();
  }

  // ------------------------------------------------------------------ helpers

  private Source open(String consumer, List<Arrival> arrived) {
    Source source = Await.result(wire.open(consumer, Set.of("OrderPlaced"), arrived::add));
    sources.add(source);
    return source;
  }

  private void closeAll() {
    sources.forEach(source -> Await.result(source.close()));
    sources.clear();
  }

  /** Records that are no CloudEvents: this source does not care, the runtime classifies. */
  private static void write(int count) {
    List<ProducerRecord<String, String>> records = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      records.add(new ProducerRecord<>(Topics.EVENTS, "key-" + i, "record " + i));
    }
    foreign.produce(records);
  }

  /** What the group committed, counted from where it started. */
  private long committed(String consumer) {
    return foreign.committedOffsets(Topics.groupOf(consumer)).getOrDefault(EVENTS, -1L) - start;
  }

  /** Commits the end of the topic for a new group: it reads only what is written from now on. */
  private String startingAtTheEnd(String consumer) {
    start = foreign.endOffsets(Topics.EVENTS).getOrDefault(EVENTS, 0L);
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      admin.alterConsumerGroupOffsets(Topics.groupOf(consumer), Map.of(EVENTS, new OffsetAndMetadata(start)))
          .all().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("cannot set where " + consumer + " starts", e);
    }
    return consumer;
  }

  private static ConsumerGroupDescription groupOf(String consumer) {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      return admin.describeConsumerGroups(List.of(Topics.groupOf(consumer))).all().get(30, TimeUnit.SECONDS)
          .get(Topics.groupOf(consumer));
    } catch (Exception e) {
      throw new AssertionError("cannot describe the group of " + consumer, e);
    }
  }

  private static String unique(String name) {
    return name + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static void pauseBriefly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
