package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.transport.delivery.Incoming;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.DeliverySettings;
import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Source;
import dev.switchboard.runtime.transport.wire.Wire;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * Amazon SQS as a wire: a FIFO queue per consumer, {@code switchboard-<consumer>.fifo}, fed by the
 * wire itself as an SNS topic would feed it.
 *
 * <p><b>Fan-out without losing an event.</b> A consumer's {@link #open} makes its queue (after its
 * dead-letter queue {@code switchboard-<consumer>-dlq.fifo}, the target of its redrive policy) and
 * writes the event types it subscribes to on the queue as tags ({@code switchboard-types}). From then
 * on the subscription lives in SQS, not in any node: {@link #send} lists the queues named
 * {@code switchboard-*} with their tags ({@link Subscribers}; read again when the list is older than
 * {@code subscribersRefreshMillis}, and at once after an open here) and puts each event on the queue
 * of every consumer of its type, in SendMessageBatch calls of up to ten ({@link SendPlan}). The
 * consumers of the published catalog count as subscribed from the start, as RabbitMQ's transport
 * declares their queues up front: a send makes their queues if they are missing. So an event
 * published while its consumer is not running (its node is down, or has never started yet) waits in
 * its queue; only a consumer outside the catalog misses the events sent before its first
 * subscription, or within the refresh interval after it by another node. Queues are never deleted by
 * the wire; a queue found missing by a send or a receive is made again (ElasticMQ without persistence
 * loses its queues when it restarts).
 *
 * <p><b>Order.</b> The message group is the message key (the order id), the deduplication id the
 * message id (the event id), the body the CloudEvent as JSON, with a {@code type} attribute and the
 * {@code ce_*} and {@code traceparent} headers as message attributes. SQS hands out no later message
 * of a group while one is in flight, so an order's events come one after the other, to whichever
 * node receives them.
 *
 * <p><b>Lag</b> is {@code ApproximateNumberOfMessages} of each consumer's queue with a source open
 * here: the messages that wait to be received. {@code ApproximateNumberOfMessagesNotVisible} (received,
 * not yet deleted) is left out: those are in a consumer's hands already, at most its in-flight bound,
 * and a lag that counted them would not fall to nothing while a consumer holds its last message.
 */
public final class SqsWire implements Wire {

  private static final Logger LOG = LoggerFactory.getLogger(SqsWire.class);

  private final Vertx vertx;
  private final SqsSettings settings;
  private final SqsAsyncClient sqs;
  private final QueueProvisioner queues;
  private final Subscribers subscribers;
  private final SqsSender sender;
  /** Sources whose receives may still be on their way: the wire's close waits for them. */
  private final List<SqsSource> receiving = new ArrayList<>();

  public SqsWire(Vertx vertx, SqsSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.sqs = SqsClients.create(settings);
    this.queues = new QueueProvisioner(sqs, settings);
    this.subscribers = new Subscribers(sqs, Subscribers.ofCatalog(), settings.subscribersRefreshMillis(),
        System::currentTimeMillis);
    this.sender = new SqsSender(sqs, queues, subscribers);
    LOG.info("SQS wire: {}", settings);
  }

  @Override
  public String name() {
    return "sqs";
  }

  @Override
  public Future<Void> send(List<Outgoing> messages) {
    return sender.send(messages);
  }

  @Override
  public Future<Source> open(String consumer, Set<String> types, Handler<Arrival> arrivals) {
    QueueNames.checked(consumer);
    if (types.isEmpty()) {
      throw new IllegalArgumentException(consumer + " subscribes to no event type: no SQS queue would get any");
    }
    TypesTags.of(types); // a type too long for a tag fails here, before anything is made
    Context context = vertx.getOrCreateContext();
    return queues.provision(consumer, types).map(url -> {
      subscribers.subscribe(consumer, types);
      subscribers.readAgainAtNextSend();
      SqsSource source = new SqsSource(vertx, context, sqs, queues, settings, consumer, types, url, arrivals);
      synchronized (receiving) {
        receiving.add(source);
      }
      source.pollsEnded().onComplete(v -> {
        synchronized (receiving) {
          receiving.remove(source);
        }
      });
      return (Source) source.start();
    });
  }

  @Override
  public DeliverySettings delivery() {
    return settings.delivery();
  }

  @Override
  public Incoming.Wording wording() {
    return new Incoming.Wording("message", "body");
  }

  /**
   * ListQueues of at most one queue: cheap, and it needs only the right to list. Its failure names
   * where SQS was asked (the endpoint, or AWS and the region), for the readiness check.
   */
  @Override
  public Future<Void> ping() {
    return SqsCalls.call(null, () -> sqs.listQueues(request -> request.queueNamePrefix(QueueNames.PREFIX).maxResults(1)
        .overrideConfiguration(override -> override.apiCallTimeout(Duration.ofMillis(settings.pingTimeoutMillis())))))
        .<Void>mapEmpty()
        .recover(failure -> Future.failedFuture(new IllegalStateException("SQS at " + where()
            + " did not answer the wire (within " + settings.pingTimeoutMillis() + " ms): "
            + SqsCalls.describe(failure), failure)));
  }

  /** Where the wire reaches SQS, for messages: its endpoint, or AWS in its region. */
  private String where() {
    return settings.endpoint().isEmpty() ? "AWS (" + settings.region() + ")" : settings.endpoint();
  }

  /** ApproximateNumberOfMessages of each consumer's queue; a queue gone counts 0. */
  @Override
  public Future<Map<String, Long>> lag(Map<String, Set<String>> consumers) {
    Map<String, Long> lag = new TreeMap<>();
    List<Future<Void>> reads = new ArrayList<>();
    consumers.keySet().forEach(consumer -> reads.add(queues.urlOf(QueueNames.queueOf(consumer))
        .compose(url -> SqsCalls.call(null, () -> sqs.getQueueAttributes(request -> request
            .queueUrl(url).attributeNames(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES))))
        .map(response -> Long.parseLong(response.attributes()
            .getOrDefault(QueueAttributeName.APPROXIMATE_NUMBER_OF_MESSAGES, "0")))
        .recover(failure -> SqsCalls.isMissingQueue(failure) ? Future.succeededFuture(0L)
            : Future.failedFuture(failure))
        .map(waiting -> {
          synchronized (lag) {
            lag.put(consumer, waiting);
          }
          return null;
        })));
    return Future.all(reads).map(v -> {
      synchronized (lag) {
        return Map.copyOf(lag);
      }
    });
  }

  /**
   * Waits for the receives still on their way (what they bring is given back), at most one long poll
   * and a request, then closes the client.
   */
  @Override
  public Future<Void> close() {
    List<Future<Void>> polls;
    synchronized (receiving) {
      polls = receiving.stream().map(SqsSource::pollsEnded).toList();
    }
    long bound = TimeUnit.SECONDS.toMillis(settings.waitTimeSeconds()) + settings.requestTimeoutMillis();
    return Future.join(polls).timeout(bound, TimeUnit.MILLISECONDS)
        .transform(ended -> {
          if (ended.failed()) {
            LOG.warn("SQS wire: closing with receives still on their way after {} ms: {}", bound,
                SqsCalls.describe(ended.cause()));
          }
          try {
            sqs.close();
          } catch (RuntimeException closing) {
            LOG.warn("SQS wire: the client did not close cleanly: {}", closing.toString());
          }
          return Future.succeededFuture();
        });
  }
}
