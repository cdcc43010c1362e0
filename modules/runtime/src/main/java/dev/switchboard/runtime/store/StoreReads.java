package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Optional;

/**
 * What a business module reads from the store: its streams, every event about a subject, documents
 * and the serving read models. A module never reads the log from a position, an inbox or a
 * checkpoint: the runtime hands it its events.
 */
public interface StoreReads {

  Future<List<StoredEvent>> readStream(String streamId);

  /** Every event about one subject (e.g. an order), from every module, in log order. */
  Future<List<StoredEvent>> readSubject(String subject);

  Future<Optional<Document>> document(String collection, String id);

  /** The serving generation of the projections' read models. */
  ReadModelReads readModels();
}
