package dev.switchboard.runtime.projection;

import dev.switchboard.contracts.EventUpcasters;
import dev.switchboard.runtime.consumer.Received;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.Future;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Fills one generation of a read model from the log: reads a batch of events after its position,
 * applies them in log order, and commits the rows with the new position in one transaction, so
 * that a crash at any instant leaves the rows and the position in step.
 */
final class GenerationTailer {

  /**
   * Rows a tailer keeps of what it committed: about a second of orders at the bench's rates, for a
   * model with a row per order.
   */
  private static final int COMMITTED_ROWS = 1_024;

  private final EventStore store;
  private final ReadModelStore readModels;
  private final ReadModel model;
  private final EventUpcasters upcasters;
  private final int generation;
  private final EventBus notices;
  private final CommittedRows committed = new CommittedRows(COMMITTED_ROWS);
  private long position;

  /** @param notices where committed rows' live messages go; null while rebuilding */
  GenerationTailer(EventStore store, ReadModel model, EventUpcasters upcasters, int generation, long position,
                   EventBus notices) {
    this.store = store;
    this.upcasters = upcasters;
    this.readModels = store.readModels();
    this.model = model;
    this.generation = generation;
    this.position = position;
    this.notices = notices;
  }

  int generation() {
    return generation;
  }

  long position() {
    return position;
  }

  /** The same generation at the same position, now sending live messages. */
  GenerationTailer serving(EventBus bus) {
    return new GenerationTailer(store, model, upcasters, generation, position, bus);
  }

  /** Applies the next batch; how many events it held (fewer than asked: caught up for now). */
  Future<Integer> step(int batchSize) {
    return store.readAll(position, model.types(), batchSize).compose(events -> {
      if (events.isEmpty()) {
        return Future.succeededFuture(0);
      }
      BatchRows rows = new BatchRows(readModels, model.name(), generation);
      long last = events.get(events.size() - 1).position();
      List<Received<Record>> received;
      try {
        received = decode(events);
      } catch (RuntimeException failure) {
        return Future.failedFuture(failure);
      }
      return readAhead(received, rows)
          .compose(v -> projectInOrder(received, rows))
          .compose(v -> readModels.apply(model.name(), generation, position, last, rows.changes()))
          .onFailure(failure -> committed.forget())
          .map(v -> {
            position = last;
            committed.committed(rows.changes());
            if (notices != null) {
              rows.notices().forEach(notice -> notices.publish(notice.address(), notice.body()));
            }
            return events.size();
          });
    });
  }

  /** Applies batches until one comes back short: the generation has caught up with the log. */
  Future<Void> drain(int batchSize) {
    return step(batchSize).compose(applied -> applied < batchSize ? Future.succeededFuture() : drain(batchSize));
  }

  /**
   * Moves the position up to {@code head} when no event of the model's types lies between: keeps
   * its lag honest when the log grows with events of other types. {@code head} must have been read
   * before the read that found nothing (every event up to it was visible then).
   */
  Future<Void> advanceTo(long head) {
    if (head <= position) {
      return Future.succeededFuture();
    }
    return readModels.apply(model.name(), generation, position, head, Map.of()).onSuccess(v -> position = head);
  }

  /**
   * Each event's data, decoded once: every version the log holds is read as the newest, so that a
   * rebuild sees what live projection saw.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private List<Received<Record>> decode(List<StoredEvent> events) {
    List<Received<Record>> received = new ArrayList<>(events.size());
    for (StoredEvent event : events) {
      ReadModel.Route route = model.route(event.type()).orElseThrow();
      received.add(new Received<>(event, (Record) event.data(upcasters, route.type())));
    }
    return received;
  }

  /**
   * Reads in one query the rows the batch's projectors will ask for: those of the events' subjects,
   * for a model whose rows are keyed so, and those its routes name; those this tailer committed
   * lately it knows already.
   */
  @SuppressWarnings({"unchecked", "rawtypes"})
  private Future<Void> readAhead(List<Received<Record>> events, BatchRows rows) {
    Set<String> keys = new LinkedHashSet<>();
    for (Received<Record> received : events) {
      String subject = received.event().envelope().subject();
      if (model.rowsBySubject() && subject != null) {
        keys.add(subject);
      }
      RowKeys rowKeys = model.route(received.event().type()).orElseThrow().rowKeys();
      if (rowKeys != null) {
        keys.addAll(rowKeys.of(received));
      }
    }
    Map<String, Optional<JsonObject>> known = committed.among(keys);
    rows.readAlready(known);
    keys.removeAll(known.keySet());
    if (keys.isEmpty()) {
      return Future.succeededFuture();
    }
    return readModels.rows(model.name(), generation, keys).map(found -> {
      rows.readAlready(keys, found);
      return null;
    });
  }

  private Future<Void> projectInOrder(List<Received<Record>> events, BatchRows rows) {
    Future<Void> chain = Future.succeededFuture();
    for (Received<Record> event : events) {
      chain = chain.compose(v -> project(event, rows));
    }
    return chain;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Future<Void> project(Received<Record> event, BatchRows rows) {
    try {
      ReadModel.Route route = model.route(event.event().type()).orElseThrow();
      return route.projector().project(event, rows);
    } catch (RuntimeException failure) {
      return Future.failedFuture(failure);
    }
  }
}
