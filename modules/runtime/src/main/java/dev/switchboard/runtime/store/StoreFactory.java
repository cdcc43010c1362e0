package dev.switchboard.runtime.store;

import dev.switchboard.contracts.EventSchemas;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.ServiceLoader;

/**
 * Opens one kind of event store from its configuration. A store is a plugin (its own module under
 * {@code stores/}) that registers through {@code META-INF/services}, so that it is chosen by
 * {@code store.type} alone and neither the runtime nor a business module depends on its driver.
 */
public interface StoreFactory {

  /** The value of {@code store.type} that selects this store. */
  String type();

  /**
   * Opens the store, creating or migrating its schema as needed.
   *
   * @param settings the store's own section of the configuration ({@code store.<type>}); a missing
   *                 key takes its default
   * @return fails with an {@link IllegalArgumentException} when a setting is invalid
   */
  Future<EventStore> open(Vertx vertx, EventSchemas schemas, JsonObject settings);

  /** The stores on the class path. */
  static List<StoreFactory> installed() {
    return ServiceLoader.load(StoreFactory.class).stream().map(ServiceLoader.Provider::get).toList();
  }

  /**
   * The store selected by {@code type}.
   *
   * @throws IllegalArgumentException naming the stores on the class path, when none is of that type
   */
  static StoreFactory of(String type) {
    List<StoreFactory> stores = installed();
    return stores.stream().filter(store -> store.type().equals(type)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("store.type \"" + type + "\" is unknown; use one of "
            + stores.stream().map(StoreFactory::type).sorted().toList()));
  }
}
