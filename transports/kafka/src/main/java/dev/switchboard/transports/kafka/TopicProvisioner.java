package dev.switchboard.transports.kafka;

import io.vertx.core.Context;
import io.vertx.core.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Creates the topics the transport writes to and reads from when they are missing, with the
 * configured partitions, replication factor and retention. A topic that exists (made by an
 * operator, or by another node a moment ago) is left as it is. Once a topic is known to exist it
 * is not asked about again.
 *
 * <p>Thread-safe: publishers and consumers on several contexts share one.
 */
final class TopicProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(TopicProvisioner.class);

  private final Admin admin;
  private final KafkaSettings settings;
  private final Set<String> known = ConcurrentHashMap.newKeySet();

  TopicProvisioner(Admin admin, KafkaSettings settings) {
    this.admin = admin;
    this.settings = settings;
  }

  /** Succeeds once every topic exists; fails within the request timeout if the cluster cannot tell. */
  Future<Void> ensure(Set<String> topics, Context context) {
    Set<String> unknown = new HashSet<>(topics);
    unknown.removeAll(known);
    if (unknown.isEmpty()) {
      return Future.succeededFuture();
    }
    int timeout = settings.requestTimeoutMillis();
    return KafkaFutures.on(context, admin.listTopics(new ListTopicsOptions().timeoutMs(timeout)).names())
        .compose(existing -> {
          Set<String> missing = new HashSet<>(unknown);
          missing.removeAll(existing);
          return create(missing, context);
        })
        .timeout(2L * timeout, TimeUnit.MILLISECONDS)
        .onSuccess(v -> known.addAll(unknown));
  }

  private Future<Void> create(Set<String> missing, Context context) {
    if (missing.isEmpty()) {
      return Future.succeededFuture();
    }
    List<NewTopic> topics = missing.stream()
        .map(name -> new NewTopic(name, settings.partitions(), settings.replicationFactor())
            .configs(Map.of(TopicConfig.RETENTION_MS_CONFIG, String.valueOf(settings.retentionMillis()))))
        .toList();
    var results = admin.createTopics(topics, new CreateTopicsOptions().timeoutMs(settings.requestTimeoutMillis()))
        .values();
    List<Future<Void>> each = missing.stream()
        .map(name -> KafkaFutures.on(context, results.get(name))
            .onSuccess(v -> LOG.info("created topic {} ({} partitions, replication factor {}, retention {} ms)", name,
                settings.partitions(), settings.replicationFactor(), settings.retentionMillis()))
            // another node may have created it since we listed: just as good
            .recover(failure -> KafkaFutures.causedBy(failure, TopicExistsException.class)
                ? Future.succeededFuture() : Future.failedFuture(failure)))
        .toList();
    return Future.all(each).mapEmpty();
  }
}
