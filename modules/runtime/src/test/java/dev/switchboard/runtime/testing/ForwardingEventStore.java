package dev.switchboard.runtime.testing;

import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.Registration;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.Leases;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A real store passed through unchanged, for tests that change one or two of its methods (hold a
 * read back, fail a commit) to make a race happen at will: a subclass overrides just those.
 */
public abstract class ForwardingEventStore implements EventStore {

  protected final EventStore delegate;

  protected ForwardingEventStore(EventStore delegate) {
    this.delegate = delegate;
  }

  @Override
  public Future<List<StoredEvent>> readStream(String streamId) {
    return delegate.readStream(streamId);
  }

  @Override
  public Future<List<StoredEvent>> commit(UnitOfWork work) {
    return delegate.commit(work);
  }

  @Override
  public Future<ConsumeOutcome> commitConsumed(String consumer, StoredEvent cause, UnitOfWork work) {
    return delegate.commitConsumed(consumer, cause, work);
  }

  @Override
  public Future<Void> commitConsumedTogether(String consumer, List<StoredEvent> causes, UnitOfWork work) {
    return delegate.commitConsumedTogether(consumer, causes, work);
  }

  @Override
  public Future<Void> saveCheckpoint(String consumer, long position) {
    return delegate.saveCheckpoint(consumer, position);
  }

  @Override
  public Future<Integer> forgetInboxEntriesBefore(Instant before, int limit) {
    return delegate.forgetInboxEntriesBefore(before, limit);
  }

  @Override
  public Future<Integer> forgetExpiredDocuments(Instant now, int limit) {
    return delegate.forgetExpiredDocuments(now, limit);
  }

  @Override
  public Future<Long> countAfter(long afterPosition, Set<String> types) {
    return delegate.countAfter(afterPosition, types);
  }

  @Override
  public void observeAppends(Consumer<List<StoredEvent>> observer) {
    delegate.observeAppends(observer);
  }

  @Override
  public Leases leases() {
    return delegate.leases();
  }

  @Override
  public ReadModelStore readModels() {
    return delegate.readModels();
  }

  @Override
  public Future<Void> deadLetter(DeadLetter letter) {
    return delegate.deadLetter(letter);
  }

  @Override
  public Future<Void> commitReplayed(String consumer, String deadLetterId, StoredEvent cause, UnitOfWork work) {
    return delegate.commitReplayed(consumer, deadLetterId, cause, work);
  }

  @Override
  public Future<Set<String>> handledAmong(String consumer, Collection<StoredEvent> events) {
    return delegate.handledAmong(consumer, events);
  }

  @Override
  public Future<Long> checkpoint(String consumer) {
    return delegate.checkpoint(consumer);
  }

  @Override
  public Future<Long> handledUpTo(String consumer) {
    return delegate.handledUpTo(consumer);
  }

  @Override
  public Future<List<StoredEvent>> readAll(long afterPosition, Set<String> types, int limit) {
    return delegate.readAll(afterPosition, types, limit);
  }

  @Override
  public Future<List<StoredEvent>> readSubject(String subject) {
    return delegate.readSubject(subject);
  }

  @Override
  public Future<Optional<Document>> document(String collection, String id) {
    return delegate.document(collection, id);
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(int limit) {
    return delegate.deadLetters(limit);
  }

  @Override
  public Future<Optional<DeadLetter>> findDeadLetter(String id) {
    return delegate.findDeadLetter(id);
  }

  @Override
  public Future<Boolean> discardDeadLetter(String id) {
    return delegate.discardDeadLetter(id);
  }

  @Override
  public Registration onAppended(Set<String> types, Runnable listener) {
    return delegate.onAppended(types, listener);
  }

  @Override
  public Future<Void> ping() {
    return delegate.ping();
  }

  @Override
  public Future<Void> close() {
    return delegate.close();
  }
}
