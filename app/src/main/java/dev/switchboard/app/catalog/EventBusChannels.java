package dev.switchboard.app.catalog;

import dev.switchboard.orders.api.OrdersApi;
import dev.switchboard.runtime.transport.wire.AsyncApi;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The Vert.x event bus side of the AsyncAPI document: what the bus carries out to browsers through
 * the SockJS bridge, the one part of the bus a client outside the cluster can reach.
 *
 * <p>With the local transport, events between modules do not travel on bus addresses at all: each
 * consumer tails the event store, which is the queue. So there is no broker channel to describe for it,
 * and the server's description says so.
 */
final class EventBusChannels {

  private static final String SERVER = "eventbus";
  /** The address LiveEvents (in the app package) publishes every event on, DESIGN.md section 5. */
  private static final String LIVE_EVENTS = "events.live";
  private static final String STATUS_MESSAGE = "OrderStatusChanged";
  private static final String LIVE_MESSAGE = "LiveEvent";

  private EventBusChannels() {
  }

  static void describe(AsyncApi doc) {
    JsonObject server = doc.server(SERVER, new JsonObject()
        .put("host", "{host}")
        .put("pathname", "/eventbus")
        .put("protocol", "ws")
        .put("title", "Vert.x event bus (SockJS bridge)")
        .put("description", "The Vert.x event bus of a node, and of its cluster, as browsers reach it: a SockJS "
            + "bridge (WebSocket, with HTTP fallbacks, in the vertx-eventbus.js framing) on the HTTP port. "
            + "Outbound only: every inbound send is refused with access_denied. With transport.type=local "
            + "(the default) modules exchange events through the event store itself, which is the queue, not "
            + "through bus addresses.")
        .put("variables", new JsonObject().put("host", new JsonObject()
            .put("default", "localhost:8080")
            .put("description", "the node's http.host and http.port"))));

    doc.message(STATUS_MESSAGE, new JsonObject()
        .put("name", STATUS_MESSAGE)
        .put("summary", "An order's status changed (PENDING included); a cancelled order always has a reason.")
        .put("payload", doc.schema("OrderStatusChange", statusChange())));
    doc.message(LIVE_MESSAGE, new JsonObject()
        .put("name", LIVE_MESSAGE)
        .put("summary", "An event, once committed to the log, with data left out.")
        .put("payload", AsyncApi.ref("components", "schemas", EventMessages.ATTRIBUTES)));

    outbound(doc, server, OrdersApi.STATUS, STATUS_MESSAGE, "orders",
        "The orders read model tells every status change of every order.");
    outbound(doc, server, LIVE_EVENTS, LIVE_MESSAGE, "node",
        "Every node tells of every event it committed.");
  }

  private static String channelId(String address) {
    return "eventbus." + address;
  }

  private static void outbound(AsyncApi doc, JsonObject server, String address, String message, String sender,
                               String summary) {
    String channelId = channelId(address);
    JsonObject channel = doc.channel(channelId, new JsonObject()
        .put("address", address)
        .put("servers", new JsonArray().add(server))
        .put("messages", AsyncApi.messagesOf(List.of(message))));
    doc.operation(sender + ".send.eventbus." + address,
        AsyncApi.send(channel, channelId, List.of(message), summary));
  }

  private static JsonObject statusChange() {
    return new JsonObject()
        .put("type", "object")
        .put("required", new JsonArray().add("orderId").add("status"))
        .put("properties", new JsonObject()
            .put("orderId", new JsonObject().put("type", "string"))
            .put("status", new JsonObject().put("type", "string")
                .put("enum", new JsonArray().add("PENDING").add("CONFIRMED").add("CANCELLED")))
            .put("reason", new JsonObject().put("type", "string")
                .put("description", "Why the order was cancelled; only on CANCELLED.")));
  }
}
