package dev.switchboard.runtime.store;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * How a consumer's commit marks the events it handled, and what a store's answers to those marks
 * mean: the rule every store follows, written once. A store writes the marks (in its own
 * statements) and hands the answers here.
 *
 * <p>Each event handled moves the consumer's place in the event's stream to the event's sequence
 * (the store refuses to move it back or to stay: "advanced" is false then). For an event read from
 * the log that is the whole mark ({@link StoredEvent#handledIsKnownByItsStream}). An event from a
 * broker is also entered in the consumer's inbox by its id (the store refuses a second entry:
 * "entered" is false then); one without a sequence has no place in a stream to move.
 */
public final class ConsumerMarks {

  /** What the answers to one event's marks say. */
  public enum Verdict {
    /** Handled now for the first time: the commit's effect stands. */
    FRESH,
    /** Handled before: the commit must write nothing. */
    DUPLICATE,
    /** From a broker, and older than an event of its stream the consumer handled already: dead-lettered as out of order. */
    STALE
  }

  private ConsumerMarks() {
  }

  /** Whether the event is entered in the consumer's inbox (else its place in its stream alone marks it). */
  public static boolean needsInboxEntry(StoredEvent event) {
    return !event.handledIsKnownByItsStream();
  }

  /** Whether the event moves the consumer's place in its stream. */
  public static boolean movesItsStream(StoredEvent event) {
    return event.envelope().sequence() > 0;
  }

  /**
   * @param entered  whether the inbox took the event's entry (ignored where it needs none)
   * @param advanced whether the consumer's place in the event's stream moved to its sequence
   *                 (ignored where it has none)
   */
  public static Verdict judge(StoredEvent event, boolean entered, boolean advanced) {
    if (!needsInboxEntry(event)) {
      return advanced ? Verdict.FRESH : Verdict.DUPLICATE;
    }
    if (!entered) {
      return Verdict.DUPLICATE;
    }
    return movesItsStream(event) && !advanced ? Verdict.STALE : Verdict.FRESH;
  }

  /**
   * The verdict on a batch's events handled together: they commit only if each is fresh.
   *
   * @param entered  whether the inbox took an event's entry
   * @param advanced whether the consumer's place in an event's stream moved
   * @throws ConcurrencyConflict naming the events handled before, if any was
   * @return the first stale event, if any (its {@link #stale} message needs a read of the stream's place)
   */
  public static Optional<StoredEvent> judgeTogether(String consumer, Collection<StoredEvent> events,
      Predicate<StoredEvent> entered, Predicate<StoredEvent> advanced) {
    List<String> before = events.stream()
        .filter(event -> judge(event, entered.test(event), advanced.test(event)) == Verdict.DUPLICATE)
        .map(StoredEvent::id).toList();
    if (!before.isEmpty()) {
      throw handledBefore(consumer, before);
    }
    return events.stream()
        .filter(event -> judge(event, true, advanced.test(event)) == Verdict.STALE)
        .findFirst();
  }

  /** The refusal of a batch of which some events were handled before. */
  public static ConcurrencyConflict handledBefore(String consumer, List<String> eventIds) {
    return new ConcurrencyConflict(consumer + " handled " + (eventIds.size() == 1
        ? "event " + eventIds.get(0) : "events " + eventIds) + " before");
  }

  /**
   * The verdict on a replayed dead letter: its own place in its stream may be marked already (a dead
   * letter of the log marks it), a later one may not.
   *
   * @param advanced whether the consumer's place in the event's stream is now at its sequence
   */
  public static Verdict judgeReplay(StoredEvent event, boolean advanced) {
    return movesItsStream(event) && !advanced ? Verdict.STALE : Verdict.FRESH;
  }

  /**
   * The refusal of an event older than one the consumer applied from its stream.
   *
   * @param applied the consumer's place in the event's stream
   */
  public static StaleEvent stale(String consumer, StoredEvent event, long applied) {
    return new StaleEvent(consumer + " already applied " + event.streamId() + " up to sequence " + applied
        + "; " + event.type() + " at sequence " + event.envelope().sequence() + " arrived out of order");
  }
}
