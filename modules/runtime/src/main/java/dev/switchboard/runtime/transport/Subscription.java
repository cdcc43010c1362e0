package dev.switchboard.runtime.transport;

import io.vertx.core.Future;

/** A consumer's subscription. Closing it lets the event in hand finish, then stops delivery. */
public interface Subscription {

  String consumer();

  Future<Void> close();
}
