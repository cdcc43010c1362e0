package dev.switchboard.app;

import dev.switchboard.runtime.outbox.OutboxRelay;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

/** Gives the outbox relay a context of its own, and stops it in order on shutdown. */
final class OutboxRelayVerticle extends VerticleBase {

  private final OutboxRelay relay;

  OutboxRelayVerticle(OutboxRelay relay) {
    this.relay = relay;
  }

  @Override
  public Future<?> start() {
    relay.start();
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    return relay.stop();
  }
}
