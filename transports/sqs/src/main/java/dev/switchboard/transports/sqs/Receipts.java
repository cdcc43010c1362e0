package dev.switchboard.transports.sqs;

import dev.switchboard.runtime.consumer.RetryPolicy;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.sqs.SqsAsyncClient;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.ChangeMessageVisibilityBatchResponse;
import software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What a source does with the receipts of the messages it received, in batches of ten: deletes them
 * (acknowledged), makes them visible at once (released), extends their visibility (still in hand).
 * None of it fails: what SQS does not take, it delivers again, and the inbox skips it.
 */
final class Receipts {

  private static final Logger LOG = LoggerFactory.getLogger(Receipts.class);
  private static final int BATCH = 10;

  private final Vertx vertx;
  private final Context context;
  private final SqsAsyncClient sqs;
  private final String consumer;
  private final String queue;
  private final Supplier<String> url;
  private final RetryPolicy retry;
  private final int visibilityTimeoutSeconds;

  Receipts(Vertx vertx, Context context, SqsAsyncClient sqs, SqsSettings settings, String consumer, String queue,
           Supplier<String> url) {
    this.vertx = vertx;
    this.context = context;
    this.sqs = sqs;
    this.consumer = consumer;
    this.queue = queue;
    this.url = url;
    this.retry = settings.delivery().redelivery();
    this.visibilityTimeoutSeconds = settings.visibilityTimeoutSeconds();
  }

  /**
   * Deletes these (ten at most); answers once SQS answered the first attempt. What went unanswered
   * is tried again in the background while its receipt lasts: until it is deleted or visible again,
   * SQS holds back the rest of its message group (its order).
   */
  Future<Void> delete(List<SqsArrival> batch) {
    return delete(batch, 0);
  }

  private Future<Void> delete(List<SqsArrival> batch, int failedBefore) {
    List<DeleteMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int index = 0; index < batch.size(); index++) {
      entries.add(DeleteMessageBatchRequestEntry.builder().id(String.valueOf(index))
          .receiptHandle(batch.get(index).receiptHandle()).build());
    }
    Promise<Void> answered = Promise.promise();
    SqsCalls.call(context, () -> sqs.deleteMessageBatch(request -> request.queueUrl(url.get()).entries(entries)))
        .onComplete(outcome -> {
          List<SqsArrival> again = new ArrayList<>();
          if (outcome.failed()) {
            again.addAll(batch);
            if (failedBefore == 0) {
              LOG.warn("{} could not delete {} message(s) from {}: {}; trying again while their receipts last",
                  consumer, batch.size(), queue, SqsCalls.describe(outcome.cause()));
            }
          } else if (outcome.result().hasFailed()) {
            outcome.result().failed().forEach(entry -> {
              if (entry.senderFault()) {
                LOG.warn("{}: SQS refused to delete a message from {}: {} {}; it comes again and is skipped",
                    consumer, queue, entry.code(), entry.message());
              } else {
                again.add(batch.get(Integer.parseInt(entry.id())));
              }
            });
          }
          if (!again.isEmpty()) {
            deleteLater(again, failedBefore + 1);
          }
          answered.complete();
        });
    return answered.future();
  }

  private void deleteLater(List<SqsArrival> failed, int failures) {
    vertx.setTimer(Math.max(1, retry.backoffAfter(failures)), id -> {
      long now = System.nanoTime();
      List<SqsArrival> stillHeld = failed.stream().filter(arrival -> arrival.visibleUntilNanos() - now > 0).toList();
      if (stillHeld.size() < failed.size()) {
        LOG.warn("{} gave up deleting {} message(s) from {}: their receipts ran out; they come again and are "
            + "skipped", consumer, failed.size() - stillHeld.size(), queue);
      }
      if (!stillHeld.isEmpty()) {
        delete(stillHeld, failures);
      }
    });
  }

  /** Makes messages visible again at once, for whoever receives next. */
  Future<Void> makeVisible(List<SqsArrival> released) {
    List<Future<Void>> calls = new ArrayList<>();
    for (List<SqsArrival> batch : tens(released)) {
      calls.add(changeVisibility(batch, 0).transform(outcome -> {
        if (outcome.failed()) {
          LOG.warn("{} could not give back {} message(s) of {}: {}; SQS delivers them again after their "
              + "visibility timeout", consumer, batch.size(), queue, SqsCalls.describe(outcome.cause()));
        }
        return Future.<Void>succeededFuture();
      }));
    }
    return Future.join(calls).mapEmpty();
  }

  /**
   * Extends the visibility of messages still in hand by a whole visibility timeout, counted from
   * when it was asked (so never longer than SQS keeps it); one that SQS does not extend stays as it
   * was, and is no longer held once that runs out.
   */
  void extend(List<SqsArrival> due) {
    long timeoutNanos = TimeUnit.SECONDS.toNanos(visibilityTimeoutSeconds);
    for (List<SqsArrival> batch : tens(due)) {
      batch.forEach(arrival -> arrival.extending = true);
      long askedAt = System.nanoTime();
      changeVisibility(batch, visibilityTimeoutSeconds).onComplete(outcome -> {
        batch.forEach(arrival -> arrival.extending = false);
        if (outcome.failed()) {
          LOG.warn("{} could not keep {} message(s) of {} in hand: {}; they are delivered again if it stays so",
              consumer, batch.size(), queue, SqsCalls.describe(outcome.cause()));
          return;
        }
        Set<String> refused = failedIds(outcome.result());
        for (int index = 0; index < batch.size(); index++) {
          if (!refused.contains(String.valueOf(index))) {
            batch.get(index).visibleUntil(askedAt + timeoutNanos);
          }
        }
      });
    }
  }

  private Future<ChangeMessageVisibilityBatchResponse> changeVisibility(List<SqsArrival> batch, int seconds) {
    List<ChangeMessageVisibilityBatchRequestEntry> entries = new ArrayList<>();
    for (int index = 0; index < batch.size(); index++) {
      entries.add(ChangeMessageVisibilityBatchRequestEntry.builder().id(String.valueOf(index))
          .receiptHandle(batch.get(index).receiptHandle()).visibilityTimeout(seconds).build());
    }
    return SqsCalls.call(context, () -> sqs.changeMessageVisibilityBatch(request -> request.queueUrl(url.get())
        .entries(entries)));
  }

  private static Set<String> failedIds(ChangeMessageVisibilityBatchResponse response) {
    Set<String> ids = new LinkedHashSet<>();
    if (response.hasFailed()) {
      response.failed().forEach(entry -> ids.add(entry.id()));
    }
    return ids;
  }

  private static <T> List<List<T>> tens(List<T> all) {
    List<List<T>> batches = new ArrayList<>();
    for (int from = 0; from < all.size(); from += BATCH) {
      batches.add(all.subList(from, Math.min(all.size(), from + BATCH)));
    }
    return batches;
  }
}
