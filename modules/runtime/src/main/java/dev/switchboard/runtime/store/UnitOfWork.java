package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventSchemas;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * Everything one decision writes, committed in a single transaction: new events (with their outbox
 * rows) and read-model documents. Handlers return one; only the store performs it.
 *
 * <p>{@code notices} are not stored: they are live messages (for browsers, say) that the runtime
 * publishes on the event bus once, and only if, the commit succeeded.
 */
public record UnitOfWork(List<StreamAppend> appends, List<DocumentWrite> documents, List<Notice> notices) {

  /** A live message for the event bus, sent after the commit. */
  public record Notice(String address, JsonObject body) {
  }

  public static final UnitOfWork NOTHING = new UnitOfWork(List.of(), List.of(), List.of());

  /**
   * Whether the stores check new events against their schemas: only where Java assertions are on,
   * as in every test run. In production every event appended comes from a typed record of the
   * catalog, made in process, so the schema check belongs at the trust boundaries (HTTP input,
   * broker input), where it stays; here it would cost a sixth of an order's CPU to re-check what the
   * record's type already holds. The tests keep it on, so a handler that builds an event its
   * schema refuses fails them.
   */
  public static final boolean SCHEMAS_CHECKED = UnitOfWork.class.desiredAssertionStatus();

  public UnitOfWork {
    appends = List.copyOf(appends);
    documents = List.copyOf(documents);
    notices = List.copyOf(notices);
  }

  public static UnitOfWork of(StreamAppend append) {
    return NOTHING.and(append);
  }

  public UnitOfWork and(StreamAppend append) {
    List<StreamAppend> more = new ArrayList<>(appends);
    more.add(append);
    return new UnitOfWork(more, documents, notices);
  }

  public UnitOfWork and(DocumentWrite document) {
    List<DocumentWrite> more = new ArrayList<>(documents);
    more.add(document);
    return new UnitOfWork(appends, more, notices);
  }

  /** This work and then the other's, as one: for effects of several events decided together. */
  public UnitOfWork and(UnitOfWork other) {
    return together(List.of(this, other));
  }

  /**
   * All these works as one, in order: for the effects of a batch's events decided one by one. One
   * copy of each list, where folding them with {@link #and(UnitOfWork)} copies the growing lists
   * again for every work.
   */
  public static UnitOfWork together(List<UnitOfWork> works) {
    List<StreamAppend> appends = new ArrayList<>();
    List<DocumentWrite> documents = new ArrayList<>();
    List<Notice> notices = new ArrayList<>();
    for (UnitOfWork work : works) {
      appends.addAll(work.appends);
      documents.addAll(work.documents);
      notices.addAll(work.notices);
    }
    return new UnitOfWork(appends, documents, notices);
  }

  public UnitOfWork andNotify(String address, JsonObject body) {
    List<Notice> more = new ArrayList<>(notices);
    more.add(new Notice(address, body));
    return new UnitOfWork(appends, documents, more);
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

  /**
   * What {@code write} returns, once the work's events passed their schemas where stores check them
   * (see {@link #SCHEMAS_CHECKED}); otherwise a failed future naming the event refused, and
   * {@code write} is not called: a store calls this before the work reaches its writer.
   */
  public <T> Future<T> writtenIfValid(EventSchemas schemas, Supplier<Future<T>> write) {
    if (SCHEMAS_CHECKED) {
      try {
        validate(schemas);
      } catch (RuntimeException invalid) {
        return Future.failedFuture(invalid);
      }
    }
    return write.get();
  }

  public boolean isEmpty() {
    return appends.isEmpty() && documents.isEmpty();
  }
}
