package dev.switchboard.transports.sqs;

import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;
import io.vertx.core.Future;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ListQueuesResponse;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongSupplier;

/**
 * Which consumers subscribe to which event types, as the SQS queues say: every
 * {@code switchboard-<consumer>.fifo} queue with its types in its tags. This is how the wire fans
 * events out as SNS would, without being told the consumers up front: a consumer that opened its
 * source once, on any node, has its queue and tags for good, so a send on any node finds it.
 *
 * <p>The consumers of the published catalog ({@link Subscriptions#ALL}) count from the start, as
 * RabbitMQ's transport declares their queues up front: an event sent before its consumer first
 * subscribed (on a fresh SQS, where another node relays first) is not lost to it, the send makes its
 * queue. The list is read again (ListQueues, then ListQueueTags per queue) by the first send after it
 * is {@code subscribersRefreshMillis} old, so a consumer outside the catalog subscribed elsewhere gets
 * events sent here at the latest that long after its queue was made; a consumer opened on this node
 * counts at once. The catalog's consumers and those opened here stay counted for the wire's life,
 * even while SQS does not list their queues (a broker that lost them: the send makes them again).
 */
final class Subscribers {

  private final SqsAsyncClient sqs;
  private final long refreshMillis;
  private final LongSupplier clockMillis;
  /** The catalog's consumers and those opened through this wire, with every type they subscribe to. */
  private final Map<String, Set<String>> known = new TreeMap<>();
  private Map<String, Set<String>> listed = Map.of();
  private long listedAtMillis;
  private boolean everListed;
  private Future<Void> refreshing;

  /**
   * @param known consumers that count from the start, with their types (the catalog's); more are
   *              added as they open here
   */
  Subscribers(SqsAsyncClient sqs, Map<String, Set<String>> known, long refreshMillis, LongSupplier clockMillis) {
    this.sqs = sqs;
    this.refreshMillis = refreshMillis;
    this.clockMillis = clockMillis;
    known.forEach(this::subscribe);
  }

  /** The consumers of the published catalog and their types. */
  static Map<String, Set<String>> ofCatalog() {
    Map<String, Set<String>> catalog = new TreeMap<>();
    Subscriptions.ALL.forEach(subscription -> catalog.computeIfAbsent(subscription.consumer(), name -> new TreeSet<>())
        .addAll(subscription.types().stream().map(EventType::name).toList()));
    return catalog;
  }

  /** Counts a consumer (opened here, or of the catalog) from now on, with its types. */
  synchronized void subscribe(String consumer, Set<String> types) {
    known.computeIfAbsent(consumer, name -> new TreeSet<>()).addAll(types);
  }

  /** Every subscriber and its types, read again from SQS first if the list is too old. */
  Future<Map<String, Set<String>>> current() {
    Future<Void> fresh;
    synchronized (this) {
      if (everListed && clockMillis.getAsLong() - listedAtMillis < refreshMillis) {
        return Future.succeededFuture(merged());
      }
      if (refreshing == null) {
        refreshing = list().andThen(outcome -> {
          synchronized (this) {
            refreshing = null;
          }
        }).mapEmpty();
      }
      fresh = refreshing;
    }
    return fresh.map(v -> {
      synchronized (this) {
        return merged();
      }
    });
  }

  private Future<Void> list() {
    long startedAt = clockMillis.getAsLong();
    return queueUrls(null, new ArrayList<>())
        .compose(urls -> {
          Map<String, Set<String>> found = new TreeMap<>();
          List<Future<Void>> tags = new ArrayList<>();
          for (String url : urls) {
            QueueNames.consumerOf(url).ifPresent(consumer -> tags.add(
                SqsCalls.call(null, () -> sqs.listQueueTags(request -> request.queueUrl(url)))
                    .map(response -> {
                      synchronized (found) {
                        found.put(consumer, TypesTags.from(response.tags()));
                      }
                      return (Void) null;
                    })
                    .recover(failure -> SqsCalls.isMissingQueue(failure) ? Future.succeededFuture() // gone since
                        : Future.failedFuture(failure))));
          }
          return Future.all(tags).map(found);
        })
        .map(found -> {
          synchronized (this) {
            listed = found;
            listedAtMillis = startedAt;
            everListed = true;
          }
          return null;
        });
  }

  /** Every queue URL with the wire's prefix, page after page. */
  private Future<List<String>> queueUrls(String nextToken, List<String> urls) {
    return SqsCalls.call(null, () -> sqs.listQueues(request -> request.queueNamePrefix(QueueNames.PREFIX)
            .maxResults(1000).nextToken(nextToken)))
        .compose((ListQueuesResponse page) -> {
          urls.addAll(page.queueUrls());
          return page.nextToken() == null || page.nextToken().isEmpty() ? Future.succeededFuture(urls)
              : queueUrls(page.nextToken(), urls);
        });
  }

  private Map<String, Set<String>> merged() {
    Map<String, Set<String>> all = new TreeMap<>();
    listed.forEach((consumer, types) -> all.computeIfAbsent(consumer, name -> new TreeSet<>()).addAll(types));
    known.forEach((consumer, types) -> all.computeIfAbsent(consumer, name -> new TreeSet<>()).addAll(types));
    return all;
  }

  /** Has the next send read the list again (a consumer was opened: others may have been too). */
  synchronized void readAgainAtNextSend() {
    everListed = false;
  }
}
