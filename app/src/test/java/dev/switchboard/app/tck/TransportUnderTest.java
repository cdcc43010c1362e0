package dev.switchboard.app.tck;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventEnvelope;
import io.vertx.core.json.JsonObject;

/**
 * What the transport test kit needs to know of one transport: how to configure a node for it, how
 * a foreign producer puts an event on it, how to tell that it has delivered everything, and how to
 * take it away and bring it back.
 */
public interface TransportUnderTest {

  /** The configuration that selects the transport (merged over the test node's defaults). */
  JsonObject overrides();

  /** Puts a CloudEvent on the transport as a client outside Switchboard would. */
  void publishForeign(TestNode node, EventEnvelope event);

  /** Waits until every consumer has been handed (and has acknowledged) everything published. */
  void awaitDelivered(TestNode node);

  /** Takes the transport away and brings it back while the node runs; the node it runs on after. */
  TestNode restart(TestNode node);
}
