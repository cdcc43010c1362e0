package dev.switchboard.runtime.store;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything one decision writes, committed in a single transaction: new events (with their outbox
 * rows) and read-model documents. Handlers return one; only the store performs it.
 */
public record UnitOfWork(List<StreamAppend> appends, List<DocumentWrite> documents) {

  public static final UnitOfWork NOTHING = new UnitOfWork(List.of(), List.of());

  public UnitOfWork {
    appends = List.copyOf(appends);
    documents = List.copyOf(documents);
  }

  public static UnitOfWork of(StreamAppend append) {
    return new UnitOfWork(List.of(append), List.of());
  }

  public UnitOfWork and(StreamAppend append) {
    List<StreamAppend> more = new ArrayList<>(appends);
    more.add(append);
    return new UnitOfWork(more, documents);
  }

  public UnitOfWork and(DocumentWrite document) {
    List<DocumentWrite> more = new ArrayList<>(documents);
    more.add(document);
    return new UnitOfWork(appends, more);
  }

  public boolean isEmpty() {
    return appends.isEmpty() && documents.isEmpty();
  }
}
