package dev.switchboard.inventory.application;

import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentWrite;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.ExpectedVersion;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Available units per product, inventory's own read model ({@code inventory-stock} documents),
 * written in the same transaction as the reservation events that change them. A product with no
 * document yet has its configured initial stock.
 *
 * <p>It remembers the level each decision will leave (with the revision that write will make), so
 * that the next reservation of a product is decided while the previous one is still being committed
 * rather than after (the consumer's lanes move on once writes are queued). A decision built on a
 * remembered level that then was not committed fails on the revision, and {@link #forget} makes the
 * next one read the store again. The memory is bounded: a product forgotten is read again.
 */
final class StockLevels {

  static final String COLLECTION = "inventory-stock";
  private static final int REMEMBERED_PRODUCTS = 10_000;

  /** One product's level and the revision of the document that holds (or will hold) it. */
  private record Level(int available, long revision) {
  }

  /** The levels read for a decision, with the revisions that guard writing them back. */
  record Snapshot(Map<String, Integer> available, Map<String, Long> revisions) {

    List<DocumentWrite> writes(Map<String, Integer> newLevels) {
      return newLevels.entrySet().stream()
          .map(level -> new DocumentWrite(COLLECTION, level.getKey(), revisionOf(level.getKey()),
              new JsonObject().put("productId", level.getKey()).put("available", level.getValue())))
          .toList();
    }

    private long revisionOf(String productId) {
      return revisions.getOrDefault(productId, ExpectedVersion.NONE);
    }
  }

  private final EventStore store;
  private final Map<String, Integer> initialStock;
  private final Map<String, Level> pending = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Level> eldest) {
      return size() > REMEMBERED_PRODUCTS;
    }
  };

  StockLevels(EventStore store, Map<String, Integer> initialStock) {
    this.store = store;
    this.initialStock = initialStock;
  }

  /** The levels of these products: as the last decision left them, else as stored. */
  Future<Snapshot> read(Collection<String> productIds) {
    List<String> distinct = productIds.stream().distinct().toList();
    List<String> unknown = distinct.stream().filter(productId -> !pending.containsKey(productId)).toList();
    List<Future<Optional<Document>>> reads = unknown.stream()
        .map(productId -> store.document(COLLECTION, productId))
        .toList();
    return Future.all(reads).map(all -> {
      for (int i = 0; i < unknown.size(); i++) {
        Optional<Document> document = reads.get(i).result();
        String productId = unknown.get(i);
        // a decision made while the store was read knows better than the store
        if (!pending.containsKey(productId)) {
          document.map(found -> new Level(found.body().getInteger("available"), found.revision()))
              .or(() -> Optional.ofNullable(initialStock.get(productId)).map(units -> new Level(units, ExpectedVersion.NONE)))
              .ifPresent(level -> pending.put(productId, level));
        }
      }
      Map<String, Integer> available = new LinkedHashMap<>();
      Map<String, Long> revisions = new LinkedHashMap<>();
      for (String productId : distinct) {
        Level level = pending.get(productId);
        if (level != null) {
          available.put(productId, level.available());
          revisions.put(productId, level.revision());
        }
      }
      return new Snapshot(available, revisions);
    });
  }

  /** Remembers the levels a decision will write, as the next decision's starting point. */
  void decided(Snapshot snapshot, Map<String, Integer> newLevels) {
    newLevels.forEach((productId, units) ->
        pending.put(productId, new Level(units, snapshot.revisionOf(productId) + 1)));
  }

  /** Forgets these products' levels (a decision about them was not committed): the store is read again. */
  void forget(Collection<String> productIds) {
    productIds.forEach(pending::remove);
  }
}
