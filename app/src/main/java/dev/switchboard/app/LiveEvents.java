package dev.switchboard.app;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.EventLog;
import dev.switchboard.runtime.store.StoredEvent;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.function.Consumer;

/**
 * Tells browsers of every event as it is committed: its envelope, with {@code data} left out, on
 * {@value #ADDRESS} (carried to browsers by the SockJS bridge, and across a cluster by its event bus),
 * never with an idempotency key in it.
 *
 * <p>Each node tells of the events its own store connection committed, so that across a cluster
 * every event is told once, by the node that wrote it, with no lease and no read of the log. A
 * browser never hears of an event that may yet be lost: the log is the outbox, and what it holds is
 * published. An event whose commit the node never heard confirmed (its connection died at the
 * commit) is not told; the page's next read of the order shows it.
 */
final class LiveEvents {

  public static final String ADDRESS = "events.live";

  /**
   * How the orders module names the request an order was placed by when the client gave an
   * {@code Idempotency-Key}: {@code causationid} is then {@code idempotency-key:<the key>}.
   */
  static final String IDEMPOTENCY_CAUSATION = "idempotency-key:";

  private LiveEvents() {
  }

  /**
   * Tells of every batch the store commits from now on, on the caller's context: off the committing
   * thread, which is the embedded store's single writer.
   *
   * <p>A node on its own publishes the envelope itself, and each listener's message is made from it
   * as it is delivered ({@link ForBrowsers}): most nodes have no browser listening, and building every
   * event's message for no one was about 5% of all a node allocated under load. A clustered node
   * publishes the message made, since other nodes' browsers may listen and every release of a node
   * reads a JSON object from the cluster's wire.
   */
  static void tellOf(EventLog store, Vertx vertx) {
    Context context = vertx.getOrCreateContext();
    Consumer<EventEnvelope> tell = teller(vertx.eventBus(), vertx.isClustered());
    store.observeAppends((List<StoredEvent> events) -> context.runOnContext(v ->
        events.forEach(event -> tell.accept(event.envelope()))));
  }

  private static Consumer<EventEnvelope> teller(EventBus bus, boolean clustered) {
    if (clustered) {
      return envelope -> bus.publish(ADDRESS, forBrowsers(envelope));
    }
    // a node started again on the same Vert.x registers the codec again
    bus.unregisterCodec(ForBrowsers.NAME).registerCodec(ForBrowsers.CODEC);
    DeliveryOptions madeOnDelivery = new DeliveryOptions().setCodecName(ForBrowsers.NAME);
    return envelope -> bus.publish(ADDRESS, envelope, madeOnDelivery);
  }

  /**
   * The envelope without its data, and without a causation id that is a client's idempotency key:
   * whoever knows a key can have the first answer given under it again.
   */
  static JsonObject forBrowsers(EventEnvelope envelope) {
    JsonObject told = envelope.envelopeWithoutData();
    if (told.getString("causationid", "").startsWith(IDEMPOTENCY_CAUSATION)) {
      told.remove("causationid");
    }
    return told;
  }

  /**
   * Makes a listener's message from an envelope published within this node, when it is delivered: a
   * message no one listens for is never made. It never crosses a wire (a clustered node publishes
   * the message itself).
   */
  static final class ForBrowsers implements MessageCodec<EventEnvelope, JsonObject> {

    static final String NAME = "switchboard.live-event";
    static final ForBrowsers CODEC = new ForBrowsers();

    private ForBrowsers() {
    }

    @Override
    public JsonObject transform(EventEnvelope envelope) {
      return forBrowsers(envelope);
    }

    @Override
    public void encodeToWire(Buffer buffer, EventEnvelope envelope) {
      throw new UnsupportedOperationException("a live event published as an envelope stays within its node");
    }

    @Override
    public JsonObject decodeFromWire(int position, Buffer buffer) {
      throw new UnsupportedOperationException("a live event published as an envelope stays within its node");
    }

    @Override
    public String name() {
      return NAME;
    }

    @Override
    public byte systemCodecID() {
      return -1;
    }
  }
}
