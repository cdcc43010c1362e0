package dev.switchboard.stores.embedded;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.UnitOfWork;

import java.util.ArrayList;
import java.util.List;

/**
 * A work's new events numbered and written to the text the log keeps, on the caller's thread before
 * the work reaches the single writer: that thread is what every commit waits for, and encoding the
 * envelopes took about a tenth of it. An append whose expected version is known numbers its events
 * from it (were the stream anywhere else, the writer refuses the append before it uses them); one
 * that takes {@link ExpectedVersion#ANY} learns its numbers on the writer, and is encoded there.
 */
final class NumberedEvents {

  /** An event with its number in its stream, and the envelope as the log keeps it. */
  record Numbered(EventEnvelope envelope, String text) {
  }

  /** Per append of the work, in order: its events numbered, or null where only the writer can number them. */
  private final List<List<Numbered>> byAppend;

  /** For a write with no unit of work. */
  static final NumberedEvents NONE = new NumberedEvents(List.of());

  private NumberedEvents(List<List<Numbered>> byAppend) {
    this.byAppend = byAppend;
  }

  static NumberedEvents of(UnitOfWork work) {
    List<List<Numbered>> byAppend = new ArrayList<>(work.appends().size());
    for (StreamAppend append : work.appends()) {
      byAppend.add(append.takesAnyVersion() ? null : numbered(append, append.expectedVersion()));
    }
    return new NumberedEvents(byAppend);
  }

  /** The events of the work's {@code index}th append, numbered after {@code current}, the stream's version. */
  List<Numbered> of(int index, StreamAppend append, long current) {
    List<Numbered> early = byAppend.get(index);
    return early != null ? early : numbered(append, current);
  }

  private static List<Numbered> numbered(StreamAppend append, long after) {
    List<Numbered> numbered = new ArrayList<>(append.events().size());
    for (EventEnvelope sequenced : append.numberedAfter(after)) {
      numbered.add(new Numbered(sequenced, sequenced.encode()));
    }
    return numbered;
  }
}
