package dev.switchboard.runtime.projection;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.Optional;

/**
 * A read model's rows as a projector sees them: what is committed, overlaid with what earlier
 * events of the same batch changed. Changes are written when the batch commits, together with the
 * log position they reflect.
 */
public interface Rows {

  Future<Optional<JsonObject>> get(String id);

  void put(String id, JsonObject body);

  void delete(String id);

  /**
   * Publishes a live message on the event bus once the change is committed. Not sent while the
   * projection is being rebuilt: browsers would get old news.
   */
  void notify(String address, JsonObject body);
}
