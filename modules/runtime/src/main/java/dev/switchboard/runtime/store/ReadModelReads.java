package dev.switchboard.runtime.store;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Optional;

/** The rows of the read models' serving generations: what a module's queries read. */
public interface ReadModelReads {

  /** A row of the serving generation. */
  Future<Optional<JsonObject>> row(String name, String id);

  /**
   * The rows of the serving generation changed last, newest first (by the log position of the batch
   * that last changed them), at most {@code limit}.
   */
  Future<List<JsonObject>> recentRows(String name, int limit);

  /**
   * {@link #recentRows} limited to the rows whose body has the top-level text {@code field} equal to
   * {@code value} (a customer's own orders, say). The field name is checked by
   * {@link ReadModelStore#checkField}.
   */
  Future<List<JsonObject>> recentRowsWhere(String name, String field, String value, int limit);
}
