package dev.switchboard.inventory.application;

import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Available units per product, inventory's own read model ({@code inventory-stock} documents),
 * written in the same transaction as the reservation events that change them. A product with no
 * document yet has its configured initial stock.
 */
final class StockLevels {

  static final String COLLECTION = "inventory-stock";

  /** The levels read for a decision, with the revisions that guard writing them back. */
  record Snapshot(Map<String, Integer> available, Map<String, Long> revisions) {

    List<DocumentWrite> writes(Map<String, Integer> newLevels) {
      return newLevels.entrySet().stream()
          .map(level -> new DocumentWrite(COLLECTION, level.getKey(),
              revisions.getOrDefault(level.getKey(), ExpectedVersion.NONE),
              new JsonObject().put("productId", level.getKey()).put("available", level.getValue())))
          .toList();
    }
  }

  private final EventStore store;
  private final Map<String, Integer> initialStock;

  StockLevels(EventStore store, Map<String, Integer> initialStock) {
    this.store = store;
    this.initialStock = initialStock;
  }

  Future<Snapshot> read(Collection<String> productIds) {
    List<String> distinct = productIds.stream().distinct().toList();
    List<Future<java.util.Optional<Document>>> reads = distinct.stream()
        .map(productId -> store.document(COLLECTION, productId))
        .toList();
    return Future.all(reads).map(all -> {
      Map<String, Integer> available = new LinkedHashMap<>();
      Map<String, Long> revisions = new HashMap<>();
      for (int i = 0; i < distinct.size(); i++) {
        String productId = distinct.get(i);
        java.util.Optional<Document> document = reads.get(i).result();
        if (document.isPresent()) {
          available.put(productId, document.get().body().getInteger("available"));
          revisions.put(productId, document.get().revision());
        } else if (initialStock.containsKey(productId)) {
          available.put(productId, initialStock.get(productId));
        }
      }
      return new Snapshot(available, revisions);
    });
  }
}
