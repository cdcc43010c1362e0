package dev.switchboard.inventory.application;

import dev.switchboard.runtime.store.ConsumeOutcome;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.testing.ForwardingEventStore;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.List;

/**
 * The real store, with every consumer commit held at a gate until the
 * test lets them through or fails them: so that a test decides in which order writes land and
 * which of them fail, and a race happens the same way every run. Once {@link #openTheGate()} is
 * called, everything held and everything after goes through as it comes.
 */
final class GatedStore extends ForwardingEventStore {

  /** A consumer's commit waiting at the gate, known by the subjects (the orders) of its causes. */
  private record HeldCommit(List<String> subjects, Runnable proceed, Runnable fail) {
  }

  private final List<HeldCommit> held = new ArrayList<>();
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
    held.add(new HeldCommit(List.of(cause.envelope().subject()),
        () -> delegate.commitConsumed(consumer, cause, work).onComplete(outcome),
        () -> outcome.fail(lostConnection())));
    return outcome.future();
  }

  @Override
  public synchronized Future<Void> commitConsumedTogether(String consumer, List<StoredEvent> causes, UnitOfWork work) {
    if (open) {
      return delegate.commitConsumedTogether(consumer, causes, work);
    }
    Promise<Void> outcome = Promise.promise();
    held.add(new HeldCommit(causes.stream().map(cause -> cause.envelope().subject()).toList(),
        () -> delegate.commitConsumedTogether(consumer, causes, work).onComplete(outcome),
        () -> outcome.fail(lostConnection())));
    return outcome.future();
  }

  private static StoreUnavailable lostConnection() {
    return new StoreUnavailable("the connection was lost while committing (a test's doing)", null);
  }

  /** Whether a commit of this order waits at the gate (alone, or with others decided together). */
  synchronized boolean holds(String subject) {
    return held.stream().anyMatch(commit -> commit.subjects().contains(subject));
  }

  /** Lets this order's held commit (and the others' in it) through to the store. */
  void letThrough(String subject) {
    take(subject).proceed().run();
  }

  /** Fails this order's held commit (and the others' in it) as a lost connection would, writing nothing. */
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
    }
    waiting.forEach(Runnable::run);
  }

  private synchronized HeldCommit take(String subject) {
    HeldCommit commit = held.stream().filter(candidate -> candidate.subjects().contains(subject)).findFirst()
        .orElseThrow(() -> new AssertionError("no commit of " + subject + " is held"));
    held.remove(commit);
    return commit;
  }
}
