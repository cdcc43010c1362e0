package dev.switchboard.orders.application;

import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.Leases;
import dev.switchboard.runtime.store.OutboxBacklog;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.function.Consumer;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The real store, with one twist for tests of races: the next stream read can be held back after
 * it has read, so that another writer commits in between and the reader decides on a state that
 * is no longer current. Everything else goes straight to the real store.
 */
final class HoldingStore implements EventStore {

  private final EventStore store;
  private final AtomicInteger streamReads = new AtomicInteger();
  private final AtomicBoolean heldReadDone = new AtomicBoolean();
  private volatile Promise<Void> gate;
  private volatile Promise<Void> holding;

  HoldingStore(EventStore store) {
    this.store = store;
  }

  /** The next {@link #readStream} reads at once but answers only on {@link #release()}. */
  void holdNextStreamRead() {
    heldReadDone.set(false);
    holding = Promise.promise();
    gate = holding;
  }

  /** Whether the held read has read (what it read is now what it will answer). */
  boolean heldReadHasRead() {
    return heldReadDone.get();
  }

  void release() {
    holding.tryComplete();
  }

  int streamReads() {
    return streamReads.get();
  }

  @Override
  public Future<List<StoredEvent>> readStream(String streamId) {
    streamReads.incrementAndGet();
    Promise<Void> held = gate;
    gate = null;
    Future<List<StoredEvent>> read = store.readStream(streamId);
    if (held == null) {
      return read;
    }
    return read.onComplete(done -> heldReadDone.set(true)).compose(events -> held.future().map(events));
  }

  @Override
  public Future<List<StoredEvent>> commit(UnitOfWork work) {
    return store.commit(work);
  }

  @Override
  public Future<ConsumeOutcome> commitConsumed(String consumer, StoredEvent cause, UnitOfWork work) {
    return store.commitConsumed(consumer, cause, work);
  }

  @Override
  public Future<Void> saveCheckpoint(String consumer, long position) {
    return store.saveCheckpoint(consumer, position);
  }

  @Override
  public Future<Long> countAfter(long afterPosition, Set<String> types) {
    return store.countAfter(afterPosition, types);
  }

  @Override
  public Future<OutboxBacklog> outboxBacklog() {
    return store.outboxBacklog();
  }

  @Override
  public void observeAppends(Consumer<List<StoredEvent>> observer) {
    store.observeAppends(observer);
  }

  @Override
  public Leases leases() {
    return store.leases();
  }

  @Override
  public ReadModelStore readModels() {
    return store.readModels();
  }

  @Override
  public Future<Void> deadLetter(DeadLetter letter) {
    return store.deadLetter(letter);
  }

  @Override
  public Future<Void> commitReplayed(String consumer, String deadLetterId, StoredEvent cause, UnitOfWork work) {
    return store.commitReplayed(consumer, deadLetterId, cause, work);
  }

  @Override
  public Future<Boolean> isHandled(String consumer, String eventId) {
    return store.isHandled(consumer, eventId);
  }

  @Override
  public Future<Long> checkpoint(String consumer) {
    return store.checkpoint(consumer);
  }

  @Override
  public Future<List<StoredEvent>> readAll(long afterPosition, Set<String> types, int limit) {
    return store.readAll(afterPosition, types, limit);
  }

  @Override
  public Future<List<StoredEvent>> readSubject(String subject) {
    return store.readSubject(subject);
  }

  @Override
  public Future<Optional<Document>> document(String collection, String id) {
    return store.document(collection, id);
  }

  @Override
  public Future<List<StoredEvent>> outbox(int limit) {
    return store.outbox(limit);
  }

  @Override
  public Future<Void> removeFromOutbox(List<Long> positions) {
    return store.removeFromOutbox(positions);
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(int limit) {
    return store.deadLetters(limit);
  }

  @Override
  public Future<Optional<DeadLetter>> findDeadLetter(String id) {
    return store.findDeadLetter(id);
  }

  @Override
  public Future<Boolean> discardDeadLetter(String id) {
    return store.discardDeadLetter(id);
  }

  @Override
  public void onAppended(Runnable listener) {
    store.onAppended(listener);
  }

  @Override
  public Future<Void> ping() {
    return store.ping();
  }

  @Override
  public Future<Void> close() {
    return store.close();
  }
}
