package dev.switchboard.inventory.application;

import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.ForwardingEventStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The real store, with every consumer commit and chosen document reads held at a gate until the
 * test lets them through or fails them: so that a test decides in which order writes land and
 * which of them fail, and a race happens the same way every run. Once {@link #openTheGate()} is
 * called, everything held and everything after goes through as it comes.
 */
final class GatedStore extends ForwardingEventStore {

  /** A consumer's commit waiting at the gate, known by the subject (the order) of its cause. */
  private record HeldCommit(String subject, Runnable proceed, Runnable fail) {
  }

  private final List<HeldCommit> held = new ArrayList<>();
  private final Set<String> heldDocuments = ConcurrentHashMap.newKeySet();
  private final List<Runnable> heldReads = new ArrayList<>();
  private volatile boolean open;

  GatedStore(EventStore delegate) {
    super(delegate);
  }

  @Override
  public synchronized Future<ConsumeOutcome> commitConsumed(String consumer, StoredEvent cause, UnitOfWork work) {
    if (open) {
      return delegate.commitConsumed(consumer, cause, work);
    }
    Promise<ConsumeOutcome> outcome = Promise.promise();
    held.add(new HeldCommit(cause.envelope().subject(),
        () -> delegate.commitConsumed(consumer, cause, work).onComplete(outcome),
        () -> outcome.fail(new StoreUnavailable("the connection was lost while committing (a test's doing)", null))));
    return outcome.future();
  }

  /** Holds the answers of reads of this product's level until {@link #openTheGate()}. */
  void holdLevelReadsOf(String productId) {
    heldDocuments.add(productId);
  }

  @Override
  public synchronized Future<Optional<Document>> document(String collection, String id) {
    Future<Optional<Document>> read = delegate.document(collection, id);
    if (open || !heldDocuments.contains(id)) {
      return read;
    }
    Promise<Optional<Document>> answer = Promise.promise();
    heldReads.add(() -> read.onComplete(answer));
    return answer.future();
  }

  /** Whether a commit of this order waits at the gate. */
  synchronized boolean holds(String subject) {
    return held.stream().anyMatch(commit -> commit.subject().equals(subject));
  }

  synchronized int heldLevelReads() {
    return heldReads.size();
  }

  /** Lets this order's held commit through to the store. */
  void letThrough(String subject) {
    take(subject).proceed().run();
  }

  /** Fails this order's held commit as a lost connection would, writing nothing. */
  void fail(String subject) {
    take(subject).fail().run();
  }

  /** From now on nothing is held; what was held goes on, in the order it came. */
  void openTheGate() {
    List<Runnable> waiting = new ArrayList<>();
    synchronized (this) {
      open = true;
      held.forEach(commit -> waiting.add(commit.proceed()));
      held.clear();
      waiting.addAll(heldReads);
      heldReads.clear();
    }
    waiting.forEach(Runnable::run);
  }

  private synchronized HeldCommit take(String subject) {
    HeldCommit commit = held.stream().filter(candidate -> candidate.subject().equals(subject)).findFirst()
        .orElseThrow(() -> new AssertionError("no commit of " + subject + " is held"));
    held.remove(commit);
    return commit;
  }
}
