package dev.switchboard.inventory.application;

import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StoreReads;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Available units per product, inventory's own read model ({@code inventory-stock} documents),
 * written in the same transaction as the reservation events that change them. A product of the
 * catalog with no document yet has its configured initial stock.
 *
 * <p>Every decision reads the levels as the store has committed them, and writes back on the
 * condition that each document is still at the revision it read. Nothing is remembered between
 * decisions: a level that a write would have left, had it committed, can never become the ground
 * of another decision, and a revision number names exactly one committed level.
 */
final class StockLevels {

  static final String COLLECTION = "inventory-stock";

  /** One product's committed level and the revision of the document that holds it. */
  record Level(int available, long revision) {
  }

  /** The levels read for a decision, with the revisions that guard writing them back. */
  record Snapshot(Map<String, Level> levels) {

    /** Units available per product; a product absent is one the shop does not stock. */
    Map<String, Integer> available() {
      Map<String, Integer> available = new LinkedHashMap<>();
      levels.forEach((productId, level) -> available.put(productId, level.available()));
      return available;
    }

    List<DocumentWrite> writes(Map<String, Integer> newLevels) {
      return newLevels.entrySet().stream()
          .map(level -> new DocumentWrite(COLLECTION, level.getKey(), revisionOf(level.getKey()),
              new JsonObject().put("productId", level.getKey()).put("available", level.getValue())))
          .toList();
    }

    private long revisionOf(String productId) {
      Level level = levels.get(productId);
      return level == null ? ExpectedVersion.NONE : level.revision();
    }
  }

  private final StoreReads store;
  private final Map<String, Integer> initialStock;

  StockLevels(StoreReads store, Map<String, Integer> initialStock) {
    this.store = store;
    this.initialStock = Map.copyOf(initialStock);
  }

  /** The committed levels of these products, read together. */
  Future<Snapshot> read(Collection<String> productIds) {
    List<String> distinct = productIds.stream().distinct().toList();
    List<Future<Optional<Document>>> reads = distinct.stream()
        .map(productId -> store.document(COLLECTION, productId))
        .toList();
    return Future.all(reads).map(all -> {
      Map<String, Level> levels = new LinkedHashMap<>();
      for (int i = 0; i < distinct.size(); i++) {
        String productId = distinct.get(i);
        levelOf(productId, reads.get(i).result()).ifPresent(level -> levels.put(productId, level));
      }
      return new Snapshot(levels);
    });
  }

  /** As stored; else, for a product of the catalog not yet ordered, its initial stock. */
  private Optional<Level> levelOf(String productId, Optional<Document> stored) {
    return stored.map(document -> new Level(document.body().getInteger("available"), document.revision()))
        .or(() -> Optional.ofNullable(initialStock.get(productId)).map(units -> new Level(units, ExpectedVersion.NONE)));
  }
}
