package dev.switchboard.transports.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.DescribeTopicsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsOptions;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Each consumer group's lag: over every partition of the topics the consumer reads, the records
 * between the group's committed offset and the end of the partition. Where the group has committed
 * nothing yet, from the start of the partition, since a new group reads from the start.
 *
 * <p>Four admin requests per reading, however many consumers: the topics' partitions, their ends,
 * their starts, and every group's committed offsets at once.
 */
final class ConsumerGroupLag {

  private final Admin admin;
  private final int timeoutMillis;

  ConsumerGroupLag(Admin admin, int timeoutMillis) {
    this.admin = admin;
    this.timeoutMillis = timeoutMillis;
  }

  /** The lag of each consumer, given the topics each reads; fails if the cluster does not answer in time. */
  Future<Map<String, Long>> read(Map<String, Set<String>> topicsByConsumer, Context context) {
    if (topicsByConsumer.isEmpty()) {
      return Future.succeededFuture(Map.of());
    }
    Set<String> topics = topicsByConsumer.values().stream().flatMap(Set::stream).collect(Collectors.toSet());
    return KafkaFutures.on(context, admin.describeTopics(topics, new DescribeTopicsOptions().timeoutMs(timeoutMillis))
            .allTopicNames())
        .compose(described -> {
          Set<TopicPartition> partitions = new HashSet<>();
          described.forEach((topic, description) -> description.partitions()
              .forEach(partition -> partitions.add(new TopicPartition(topic, partition.partition()))));
          Future<Map<TopicPartition, Long>> ends = offsets(partitions, OffsetSpec.latest(), context);
          Future<Map<TopicPartition, Long>> starts = offsets(partitions, OffsetSpec.earliest(), context);
          Future<Map<String, Map<TopicPartition, OffsetAndMetadata>>> committed = committed(topicsByConsumer.keySet(),
              context);
          return Future.all(ends, starts, committed).map(all -> lag(topicsByConsumer, partitions, ends.result(),
              starts.result(), committed.result()));
        })
        .timeout(timeoutMillis + 500L, TimeUnit.MILLISECONDS);
  }

  /**
   * The arithmetic: for each consumer, the sum over the partitions of its topics of the end minus
   * where the group resumes (its committed offset, or the start where it has none).
   */
  static Map<String, Long> lag(Map<String, Set<String>> topicsByConsumer, Set<TopicPartition> partitions,
                               Map<TopicPartition, Long> ends, Map<TopicPartition, Long> starts,
                               Map<String, Map<TopicPartition, OffsetAndMetadata>> committedByGroup) {
    Map<String, Long> lag = new TreeMap<>();
    topicsByConsumer.forEach((consumer, topics) -> {
      Map<TopicPartition, OffsetAndMetadata> committed =
          committedByGroup.getOrDefault(Topics.groupOf(consumer), Map.of());
      long behind = 0;
      for (TopicPartition partition : partitions) {
        if (!topics.contains(partition.topic())) {
          continue;
        }
        long end = ends.getOrDefault(partition, 0L);
        OffsetAndMetadata resumeAt = committed.get(partition);
        long from = resumeAt != null ? resumeAt.offset() : starts.getOrDefault(partition, 0L);
        behind += Math.max(0, end - from);
      }
      lag.put(consumer, behind);
    });
    return lag;
  }

  private Future<Map<TopicPartition, Long>> offsets(Set<TopicPartition> partitions, OffsetSpec spec, Context context) {
    Map<TopicPartition, OffsetSpec> request = partitions.stream().collect(Collectors.toMap(Function.identity(),
        partition -> spec));
    return KafkaFutures.on(context, admin.listOffsets(request, new ListOffsetsOptions().timeoutMs(timeoutMillis)).all())
        .map(found -> found.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey,
            entry -> ((ListOffsetsResult.ListOffsetsResultInfo) entry.getValue()).offset())));
  }

  private Future<Map<String, Map<TopicPartition, OffsetAndMetadata>>> committed(Set<String> consumers,
                                                                               Context context) {
    Map<String, ListConsumerGroupOffsetsSpec> groups = consumers.stream().collect(Collectors.toMap(Topics::groupOf,
        consumer -> new ListConsumerGroupOffsetsSpec()));
    return KafkaFutures.on(context, admin.listConsumerGroupOffsets(groups,
        new ListConsumerGroupOffsetsOptions().timeoutMs(timeoutMillis)).all());
  }
}
