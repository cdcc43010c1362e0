package dev.switchboard.transports.sqs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes a consumer's queues when they are missing, and knows their URLs: the dead-letter queue first,
 * then the consumer's FIFO queue with a redrive policy into it, the wire's visibility timeout, and its
 * event types as tags ({@link TypesTags}). A queue that exists already gets the wire's attributes
 * again (a changed setting takes effect) and the union of its types and the new ones: types are never
 * taken off a queue, so that a node of an older release opening the consumer cannot unsubscribe what
 * a newer one added (the runtime skips a type its consumer does not handle).
 */
final class QueueProvisioner {

  private static final Logger LOG = LoggerFactory.getLogger(QueueProvisioner.class);

  private final SqsAsyncClient sqs;
  private final SqsSettings settings;
  private final Map<String, String> urls = new ConcurrentHashMap<>();

  QueueProvisioner(SqsAsyncClient sqs, SqsSettings settings) {
    this.sqs = sqs;
    this.settings = settings;
  }

  /** The consumer's queue, made or brought up to date, subscribed to at least {@code types}; its URL. */
  Future<String> provision(String consumer, Set<String> types) {
    return provisionDeadLetters(consumer)
        .compose(this::arnOf)
        .compose(deadLetterArn -> ensure(QueueNames.queueOf(consumer), consumerQueueAttributes(deadLetterArn),
            TypesTags.of(types)))
        .compose(url -> subscribe(url, types).map(url));
  }

  /** The consumer's dead-letter queue, made when missing; its URL. */
  Future<String> provisionDeadLetters(String consumer) {
    return ensure(QueueNames.deadLetterQueueOf(consumer), fifoAttributes(), Map.of());
  }

  /** The URL of a queue that exists (from what this wire saw, else asked); fails if it does not exist. */
  Future<String> urlOf(String name) {
    String known = urls.get(name);
    if (known != null) {
      return Future.succeededFuture(known);
    }
    return SqsCalls.call(null, () -> sqs.getQueueUrl(request -> request.queueName(name)))
        .map(response -> {
          urls.put(name, response.queueUrl());
          return response.queueUrl();
        });
  }

  /** Forgets a queue's URL, after a call found it gone, so that it is looked up (or made) again. */
  void forget(String name) {
    urls.remove(name);
  }

  private Future<String> ensure(String name, Map<QueueAttributeName, String> attributes, Map<String, String> tags) {
    return SqsCalls.call(null, () -> sqs.createQueue(request -> request.queueName(name).attributes(attributes)
            .tags(tags)))
        .map(response -> response.queueUrl())
        .recover(failure -> SqsCalls.isQueueNameTaken(failure) ? updated(name, attributes)
            : Future.failedFuture(failure))
        .onSuccess(url -> urls.put(name, url));
  }

  /** A queue made earlier with other settings: takes the wire's (all but FifoQueue, which is fixed). */
  private Future<String> updated(String name, Map<QueueAttributeName, String> attributes) {
    Map<QueueAttributeName, String> settable = new HashMap<>(attributes);
    settable.remove(QueueAttributeName.FIFO_QUEUE);
    return SqsCalls.call(null, () -> sqs.getQueueUrl(request -> request.queueName(name)))
        .compose(response -> SqsCalls.call(null, () -> sqs.setQueueAttributes(request -> request
                .queueUrl(response.queueUrl()).attributes(settable)))
            .map(response.queueUrl()))
        .onSuccess(url -> LOG.info("SQS queue {} existed with other settings; it has the wire's now", name));
  }

  private Future<String> arnOf(String url) {
    return SqsCalls.call(null, () -> sqs.getQueueAttributes(request -> request.queueUrl(url)
            .attributeNames(QueueAttributeName.QUEUE_ARN)))
        .map(response -> response.attributes().get(QueueAttributeName.QUEUE_ARN));
  }

  /** Adds {@code types} to the queue's tags, if any is missing there. */
  private Future<Void> subscribe(String url, Set<String> types) {
    return SqsCalls.call(null, () -> sqs.listQueueTags(request -> request.queueUrl(url)))
        .compose(response -> {
          Set<String> tagged = TypesTags.from(response.tags());
          if (tagged.containsAll(types)) {
            return Future.succeededFuture();
          }
          Set<String> union = new TreeSet<>(tagged);
          union.addAll(types);
          return SqsCalls.call(null, () -> sqs.tagQueue(request -> request.queueUrl(url).tags(TypesTags.of(union))))
              .mapEmpty();
        });
  }

  private Map<QueueAttributeName, String> consumerQueueAttributes(String deadLetterArn) {
    Map<QueueAttributeName, String> attributes = new HashMap<>(fifoAttributes());
    attributes.put(QueueAttributeName.VISIBILITY_TIMEOUT, String.valueOf(settings.visibilityTimeoutSeconds()));
    attributes.put(QueueAttributeName.REDRIVE_POLICY, new JsonObject()
        .put("deadLetterTargetArn", deadLetterArn)
        .put("maxReceiveCount", String.valueOf(settings.maxReceiveCount())).encode());
    return attributes;
  }

  private static Map<QueueAttributeName, String> fifoAttributes() {
    // deduplication by the message id the wire gives (the event's id), never by the body
    return Map.of(QueueAttributeName.FIFO_QUEUE, "true", QueueAttributeName.CONTENT_BASED_DEDUPLICATION, "false");
  }
}
