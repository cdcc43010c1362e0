package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static dev.switchboard.app.TestNode.await;

/**
 * One browser's connection to the bridge, as vertx-eventbus.js makes it over SockJS's raw WebSocket
 * ({@value #PATH}): the frames it writes, and every frame it received.
 */
final class BridgeSocket {

  static final String PATH = "/eventbus/websocket";

  /** The bridge closes a socket that has not pinged for 10 s; vertx-eventbus.js pings every 5 s. */
  private static final long PING_MILLIS = 2_000;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final WebSocket socket;
  private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
  private final long pinger;
  private volatile boolean closed;

  private BridgeSocket(Vertx vertx, WebSocketClient client, WebSocket socket) {
    this.vertx = vertx;
    this.client = client;
    this.socket = socket;
    // the raw WebSocket transport writes the bridge's frames as binary messages: take both kinds
    socket.handler(data -> frames.add(data.toJsonObject()));
    socket.closeHandler(v -> closed = true);
    this.pinger = vertx.setPeriodic(PING_MILLIS, id -> write(new JsonObject().put("type", "ping")));
  }

  static BridgeSocket connect(Vertx vertx, int port) {
    return connect(vertx, new WebSocketConnectOptions().setPort(port).setHost("127.0.0.1").setURI(PATH));
  }

  /** As a browser would connect, with these options (a token in the URI's query, an Origin header…). */
  static BridgeSocket connect(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      WebSocket socket = await(client.connect(options), "the bridge's WebSocket");
      return new BridgeSocket(vertx, client, socket);
    } catch (AssertionError refused) {
      await(client.close(), "closing the WebSocket client");
      throw refused;
    }
  }

  /** The failure of a connection the bridge refuses (the handshake's HTTP status is in its message). */
  static Throwable refusal(Vertx vertx, WebSocketConnectOptions options) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      return client.connect(options).toCompletionStage().toCompletableFuture()
          .handle((socket, failure) -> {
            if (socket != null) {
              socket.close();
              throw new AssertionError("the bridge accepted a connection it should refuse: " + options.getURI());
            }
            return failure;
          }).get(TestNode.TIMEOUT.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("connecting to the bridge did not finish", e);
    } finally {
      await(client.close(), "closing the WebSocket client");
    }
  }

  void write(JsonObject frame) {
    socket.writeTextMessage(frame.encode());
  }

  /** Registers on an address, and waits until it is sure to hear what is told there. */
  void listenOn(String address) {
    listenOn(address, new JsonObject());
  }

  /** {@link #listenOn(String)}, probing with messages that carry these fields too (to pass the bridge's filter). */
  void listenOn(String address, JsonObject probeFields) {
    write(new JsonObject().put("type", "register").put("address", address));
    awaitProbe(address, probeFields);
  }

  /**
   * Has the node publish probes on {@code address} until one is heard. The bridge acts on a
   * socket's frames in order, so a probe heard means every frame written before it has been acted on.
   */
  void awaitProbe(String address) {
    awaitProbe(address, new JsonObject());
  }

  /** {@link #awaitProbe(String)} with probes that carry these fields too (a customer id, to pass a filter). */
  void awaitProbe(String address, JsonObject fields) {
    String probe = "probe-" + UUID.randomUUID();
    TestNode.poll("a probe told on " + address, () -> {
      vertx.eventBus().publish(address, fields.copy().put("orderId", probe).put("status", "PENDING"));
      return frames;
    }, received -> received.stream().anyMatch(frame -> isTold(frame, address)
        && probe.equals(frame.getJsonObject("body").getString("orderId"))));
  }

  static boolean isTold(JsonObject frame, String address) {
    return "rec".equals(frame.getString("type")) && address.equals(frame.getString("address"));
  }

  static boolean isRefused(JsonObject frame, String error) {
    return "err".equals(frame.getString("type")) && error.equals(frame.getString("body"));
  }

  void awaitFrame(String what, Predicate<JsonObject> wanted) {
    TestNode.poll(what, () -> frames, received -> received.stream().anyMatch(wanted));
  }

  /** Whether the bridge closed this socket. */
  boolean closed() {
    return closed;
  }

  List<JsonObject> frames() {
    return frames;
  }

  /** The bodies of the messages told on {@code address}, probes left out, in the order received. */
  List<JsonObject> toldOn(String address) {
    return frames.stream().filter(frame -> isTold(frame, address)).map(frame -> frame.getJsonObject("body"))
        .filter(body -> !body.getString("orderId", "").startsWith("probe-")).toList();
  }

  void close() {
    vertx.cancelTimer(pinger);
    if (!closed) {
      await(socket.close(), "closing the bridge's WebSocket");
    }
    await(client.close(), "closing the WebSocket client");
  }
}
