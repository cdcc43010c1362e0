package dev.switchboard.app.tck;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The transport test kit on the local transport (the event bus wakes consumers, which read the
 * store). A foreign producer here is anyone appending to the store; restarting the transport means
 * restarting the node, since the event bus lives and dies with it.
 */
class LocalTransportTckTest extends TransportTck {

  @Override
  protected TransportUnderTest transport() {
    return new TransportUnderTest() {
      @Override
      public JsonObject overrides() {
        return new JsonObject().put("transport", new JsonObject().put("type", "local"));
      }

      @Override
      public void publishForeign(TestNode node, EventEnvelope event) {
        TestNode.await(node.store().commit(UnitOfWork.of(
            new StreamAppend(Streams.of(event), ExpectedVersion.ANY, List.of(event)))), "appending " + event.type());
      }

      @Override
      public void awaitDelivered(TestNode node) {
        // the store is the queue and consumers read it once, from their checkpoints: a publish
        // carries no copy of an event, only the news that there are new ones
      }

      @Override
      public TestNode restart(TestNode node) {
        return node.restart();
      }
    };
  }
}
