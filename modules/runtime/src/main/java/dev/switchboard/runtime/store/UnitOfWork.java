package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventSchemas;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Everything one decision writes, committed in a single transaction: new events (with their outbox
 * rows) and read-model documents. Handlers return one; only the store performs it.
 *
 * <p>{@code notices} are not stored: they are live messages (for browsers, say) that the runtime
 * publishes on the event bus once, and only if, the commit succeeded.
 */
public record UnitOfWork(List<StreamAppend> appends, List<DocumentWrite> documents, List<Notice> notices,
                         List<Consumer<Boolean>> settledListeners) {

  /** A live message for the event bus, sent after the commit. */
  public record Notice(String address, JsonObject body) {
  }

  public static final UnitOfWork NOTHING = new UnitOfWork(List.of(), List.of(), List.of());

  public UnitOfWork {
    appends = List.copyOf(appends);
    documents = List.copyOf(documents);
    notices = List.copyOf(notices);
    settledListeners = List.copyOf(settledListeners);
  }

  public UnitOfWork(List<StreamAppend> appends, List<DocumentWrite> documents, List<Notice> notices) {
    this(appends, documents, notices, List.of());
  }

  public static UnitOfWork of(StreamAppend append) {
    return NOTHING.and(append);
  }

  public UnitOfWork and(StreamAppend append) {
    List<StreamAppend> more = new ArrayList<>(appends);
    more.add(append);
    return new UnitOfWork(more, documents, notices, settledListeners);
  }

  public UnitOfWork and(DocumentWrite document) {
    List<DocumentWrite> more = new ArrayList<>(documents);
    more.add(document);
    return new UnitOfWork(appends, more, notices, settledListeners);
  }

  public UnitOfWork andNotify(String address, JsonObject body) {
    List<Notice> more = new ArrayList<>(notices);
    more.add(new Notice(address, body));
    return new UnitOfWork(appends, documents, more, settledListeners);
  }

  /**
   * Tells {@code listener} how the commit ended, once the consumer runner that took this work from
   * a handler has committed it ({@code true}) or not ({@code false}: it failed, or the event was a
   * duplicate and nothing was written): for a handler that keeps the state its writes will leave
   * in memory, to decide the next event before this one is committed, and must forget it if the
   * writes did not happen.
   */
  public UnitOfWork whenSettled(Consumer<Boolean> listener) {
    List<Consumer<Boolean>> more = new ArrayList<>(settledListeners);
    more.add(listener);
    return new UnitOfWork(appends, documents, notices, more);
  }

  /** Runs the settled listeners; see {@link #whenSettled}. */
  public void settled(boolean committed) {
    settledListeners.forEach(listener -> listener.accept(committed));
  }

  /**
   * Checks every new event against the schema its type and version name.
   *
   * @throws dev.switchboard.contracts.InvalidEventData for the first event that does not fit
   */
  public void validate(EventSchemas schemas) {
    for (StreamAppend append : appends) {
      append.events().forEach(schemas::validate);
    }
  }

  public boolean isEmpty() {
    return appends.isEmpty() && documents.isEmpty();
  }
}
