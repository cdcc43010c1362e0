package dev.switchboard.runtime.store.write;

import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Future;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * The statements of one write within a store's writer transaction, in the store's dialect: all that
 * the runtime's {@link StoreWrites} asks of a store to write. A store implements it once per write.
 *
 * <p>Each method sends its statements when called and answers later; a store on a blocking driver
 * answers at once. {@link StoreWrites} calls, before it looks at any answer, every method a write
 * calls when all goes as expected, in the order their statements must run, so that a store may send
 * them one behind the other without waiting (pipelining). A failed answer fails the write, which
 * the writer rolls back alone: none of its statements commit.
 */
public interface WriteStatements {

  /**
   * Writes the marks of events the consumer handled ({@link dev.switchboard.runtime.store.ConsumerMarks}:
   * each one's place in its stream, an inbox entry for those that need one; none after a mark
   * refused, for an event) and raises how far along the log the consumer's progress reaches to the
   * highest of their positions.
   */
  Future<Marks> mark(String consumer, List<StoredEvent> events);

  /** The consumer's place in a stream: the sequence it reached there, 0 if none. */
  Future<Long> placeInStream(String consumer, String streamId);

  /**
   * Moves the consumer's place in a replayed event's stream to the event's sequence, which may be
   * its place already (a dead letter of the log marks it); false, moving nothing, if it is beyond.
   */
  Future<Boolean> replayInStream(String consumer, StoredEvent event);

  /** The work's appends (with their version checks) and documents (with their revision checks), in order. */
  Future<List<StoredEvent>> apply(UnitOfWork work);

  /** Keeps a dead letter, replacing one of its id. Marks nothing: {@link StoreWrites#deadLetter} does. */
  Future<Void> keepDeadLetter(DeadLetter letter);

  /** Moves the consumer's place in a stream up to {@code sequence}; false, moving nothing, if it is there or beyond. */
  Future<Boolean> advanceInStream(String consumer, String streamId, long sequence);

  /** Enters an event in the consumer's inbox; false if it is there already. */
  Future<Boolean> enterInInbox(String consumer, String eventId);

  /** Raises how far along the log the consumer's progress reaches to {@code position} (never lowers it). */
  Future<Void> raiseReach(String consumer, long position);

  /** Removes a dead letter; false if there was none. */
  Future<Boolean> deleteDeadLetter(String id);

  /** Raises the consumer's checkpoint to {@code position} (never lowers it). */
  Future<Void> raiseCheckpoint(String consumer, long position);

  /** Removes up to {@code limit} inbox entries made before {@code before}, the oldest first; answers how many. */
  Future<Integer> forgetInboxEntries(Instant before, int limit);

  /** Removes up to {@code limit} documents expired at {@code now}, the earliest expired first; answers how many. */
  Future<Integer> forgetExpiredDocuments(Instant now, int limit);

  /**
   * Ends the write with {@code value}, keeping nothing it wrote: for a write whose statements went out
   * before the answer telling that they must not stand (a duplicate's). The writer rolls it back alone.
   */
  default <T> Future<T> undo(T value) {
    return Future.failedFuture(new Undone(value));
  }

  /**
   * What the marks of some events answered, by event id.
   *
   * @param entered  the events the inbox took an entry of
   * @param advanced the events whose consumer's place in their stream moved to their sequence
   */
  record Marks(Set<String> entered, Set<String> advanced) {

    public boolean entered(StoredEvent event) {
      return entered.contains(event.id());
    }

    public boolean advanced(StoredEvent event) {
      return advanced.contains(event.id());
    }
  }
}
