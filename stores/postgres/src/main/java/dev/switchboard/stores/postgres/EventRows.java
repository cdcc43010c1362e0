package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventEnvelope;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * New events of one or several appends, inserted by one statement from arrays ({@link PostgresSql#INSERT_EVENTS}), positions drawn in the order the events were added.
 *
 * <p>The statement inserts the events of a stream only if the stream is, before the statement, at
 * the version the first of them follows: so the events an append adds after those of an earlier
 * append to the same stream must follow them exactly, as they would have had to, one append after
 * the other, to pass the check.
 *
 * <p>Where the events of several writes go in one statement ({@link #ofSeveralWrites}), a failure
 * cannot be pinned on one write: the appends fail with {@link WriterTransaction.Unattributed}, and
 * the batch runs again one write at a time, where each write's events go in a statement of their own.
 */
final class EventRows {

  private record Append(int from, int to, Promise<List<Long>> positions) {
  }

  private final boolean severalWrites;
  private final List<String> streams = new ArrayList<>();
  private final List<Long> versions = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private final List<String> types = new ArrayList<>();
  private final List<String> subjects = new ArrayList<>();
  private final List<String> envelopes = new ArrayList<>();
  private final List<Long> afters = new ArrayList<>();
  private final List<Append> appends = new ArrayList<>();
  /** Per stream: the version it must be at before the statement, and the version of its last event here. */
  private final Map<String, long[]> streamVersions = new HashMap<>();

  private EventRows(boolean severalWrites) {
    this.severalWrites = severalWrites;
  }

  /** For the events of the writes of a pipelined batch. */
  static EventRows ofSeveralWrites() {
    return new EventRows(true);
  }

  /** For the events of one append, which learns of a stream not at its version by fewer positions. */
  static EventRows ofOneAppend() {
    return new EventRows(false);
  }

  /**
   * Adds the events of an append to {@code streamId}, numbered after version {@code after}.
   *
   * @return once inserted, their positions in order; fewer (for {@link #ofOneAppend}) if the stream
   *     is not at {@code after}
   */
  Future<List<Long>> add(String streamId, long after, List<EventEnvelope> events) {
    long[] stream = streamVersions.get(streamId);
    if (stream != null && stream[1] != after) {
      // behind an earlier append to its stream, but not right after it: it cannot pass its check
      return Future.failedFuture(new WriterTransaction.Unattributed(
          "an append to " + streamId + " after version " + after + " follows one ending at version " + stream[1],
          null));
    }
    long base = stream == null ? after : stream[0];
    int from = streams.size();
    for (EventEnvelope event : events) {
      streams.add(streamId);
      versions.add(event.sequence());
      ids.add(event.id());
      types.add(event.type());
      subjects.add(event.subject());
      envelopes.add(event.encode());
      afters.add(base);
    }
    streamVersions.put(streamId, new long[] {base, after + events.size()});
    Promise<List<Long>> positions = Promise.promise();
    appends.add(new Append(from, streams.size(), positions));
    return positions.future();
  }

  boolean isEmpty() {
    return appends.isEmpty();
  }

  /** The statement's arguments: one array per column. */
  Tuple arguments() {
    return Tuple.of(streams.toArray(new String[0]), versions.toArray(new Long[0]), ids.toArray(new String[0]),
        types.toArray(new String[0]), subjects.toArray(new String[0]), envelopes.toArray(new String[0]),
        afters.toArray(new Long[0]));
  }

  /**
   * Completes each append with the positions the statement answered for its events.
   *
   * @param lock the append lock taken right before the statement, if it was. Waiting for it longer
   *             than the statement timeout is the first appending write's own failure, as it would
   *             have been alone; any other failure of the lock (a deadlock with a row lock of a later
   *             write, a statement of another write that failed before) is not
   */
  void settle(Future<RowSet<Row>> inserted, Future<Void> lock) {
    inserted.onComplete(done -> {
      if (done.failed()) {
        Throwable failure;
        if (lock != null && lock.failed() && PostgresFailures.isCanceled(lock.cause())) {
          failure = lock.cause();
        } else if (severalWrites) {
          failure = new WriterTransaction.Unattributed("the events of several writes could not be inserted: "
              + done.cause().getMessage(), done.cause());
        } else {
          failure = done.cause();
        }
        appends.forEach(append -> append.positions().fail(failure));
        return;
      }
      Map<String, Long> positionsById = new HashMap<>();
      for (Row row : done.result()) {
        positionsById.put(row.getString(0), row.getLong(1));
      }
      for (Append append : appends) {
        List<Long> positions = new ArrayList<>(append.to() - append.from());
        for (int index = append.from(); index < append.to(); index++) {
          Long position = positionsById.get(ids.get(index));
          if (position != null) {
            positions.add(position);
          }
        }
        if (severalWrites && positions.size() < append.to() - append.from()) {
          append.positions().fail(new WriterTransaction.Unattributed(
              "stream " + streams.get(append.from()) + " is not at version " + afters.get(append.from()), null));
        } else {
          append.positions().complete(positions);
        }
      }
    });
  }
}
