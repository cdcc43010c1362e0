package dev.switchboard.runtime.projection;

import dev.switchboard.runtime.consumer.Received;
import io.vertx.core.Future;

/** Applies one event of one type to a read model's rows. */
@FunctionalInterface
public interface Projector<T extends Record> {

  Future<Void> project(Received<T> event, Rows rows);
}
