package dev.switchboard.app.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static dev.switchboard.app.TestNode.await;
import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SockJS bridge at {@code /eventbus}, as a browser meets it: a real node, and a client speaking
 * the bridge's JSON frames over SockJS's raw WebSocket ({@code /eventbus/websocket}), as vertx-eventbus.js
 * does. Browsers hear order statuses and live events; they can send, publish or listen to nothing else.
 *
 * <p>The bridge does not acknowledge a registration, so each test first has a probe published on the
 * bus and waits for the client to hear it: from then on, the client is known to be listening.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventBusBridgeTest {

  private static final String STATUS = "orders.status";
  private static final String LIVE = "events.live";
  private static final String PLACE = "switchboard.orders.place";

  @TempDir
  Path dir;

  private Vertx vertx;
  private TestNode node;
  private final List<BridgeSocket> sockets = new ArrayList<>();
  private final ListAppender<ILoggingEvent> bridgeLog = new ListAppender<>();

  @BeforeEach
  void startTheNode(Vertx vertx) {
    this.vertx = vertx;
    node = TestNode.start(vertx, TestNode.config(dir));
    bridgeLog.start();
    bridgeLogger().addAppender(bridgeLog);
  }

  @AfterEach
  void stopTheNode() {
    bridgeLogger().detachAppender(bridgeLog);
    sockets.forEach(BridgeSocket::close);
    node.stop();
  }

  @Test
  void a_browser_listening_on_orders_status_hears_an_order_placed_then_confirmed() {
    BridgeSocket browser = connect();
    browser.listenOn(STATUS);

    String orderId = node.place(order("customer-1", item("sku-1", 2, 10)));

    browser.awaitFrame("the order to be told CONFIRMED", frame -> isTold(frame, STATUS)
        && orderId.equals(frame.getJsonObject("body").getString("orderId"))
        && "CONFIRMED".equals(frame.getJsonObject("body").getString("status")));
    assertThat(browser.toldOn(STATUS)).filteredOn(status -> orderId.equals(status.getString("orderId")))
        .extracting(status -> status.getString("status"))
        .containsExactly("PENDING", "CONFIRMED");
  }

  @Test
  void a_browser_listening_on_events_live_hears_every_event_of_an_order_without_its_data() {
    BridgeSocket browser = connect();
    browser.listenOn(LIVE);

    String orderId = node.place(order("customer-1", item("sku-1", 1, 10)));
    JsonArray history = node.awaitEvent(orderId, "NotificationSent");

    List<JsonObject> told = TestNode.poll("every event of the order to be told",
        () -> ofOrder(browser.toldOn(LIVE), orderId), events -> events.size() >= history.size());
    assertThat(told).hasSize(history.size());
    for (int i = 0; i < history.size(); i++) {
      JsonObject stored = history.getJsonObject(i).copy();
      stored.remove("data");
      assertThat(told).contains(stored);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"send", "publish"})
  void an_order_sent_through_the_bridge_is_refused_and_placed_nowhere(String type) {
    BridgeSocket browser = connect();

    browser.write(new JsonObject().put("type", type).put("address", PLACE)
        .put("body", new JsonObject().put("order", order("secret-customer", item("sku-1", 1, 10))))
        .put("replyAddress", UUID.randomUUID().toString()));

    browser.awaitFrame("the bridge to refuse", EventBusBridgeTest::isAccessDenied);
    // had the bridge let it through, the orders module would have had it before the order below
    String placedOverHttp = node.place(order("customer-1", item("sku-1", 1, 10)));
    node.awaitFinal(placedOverHttp);
    assertThat(node.get("/orders").bodyAsJsonObject().getJsonArray("items"))
        .extracting(view -> ((JsonObject) view).getString("orderId"))
        .containsExactly(placedOverHttp);
    assertThat(bridgeLog.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("refused", type.toUpperCase(), PLACE))
        .noneSatisfy(line -> assertThat(line).contains("secret-customer"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"send", "publish"})
  void a_browser_cannot_tell_other_browsers_an_order_status(String type) {
    BridgeSocket listener = connect();
    listener.listenOn(STATUS);
    BridgeSocket forger = connect();

    forger.write(new JsonObject().put("type", type).put("address", STATUS)
        .put("body", new JsonObject().put("orderId", "forged").put("status", "CONFIRMED")));

    forger.awaitFrame("the bridge to refuse", EventBusBridgeTest::isAccessDenied);
    // a forged status let through would have reached the listener before this later probe
    listener.awaitProbe(STATUS);
    assertThat(listener.toldOn(STATUS)).noneMatch(status -> "forged".equals(status.getString("orderId")));
  }

  @ParameterizedTest
  @ValueSource(strings = {PLACE, "switchboard.orders.events", "orders.status.v2", "events"})
  void listening_on_an_address_that_is_not_outbound_is_refused(String address) {
    BridgeSocket browser = connect();

    browser.write(new JsonObject().put("type", "register").put("address", address));

    browser.awaitFrame("the bridge to refuse", EventBusBridgeTest::isAccessDenied);
    assertThat(bridgeLog.list).extracting(ILoggingEvent::getFormattedMessage)
        .anySatisfy(line -> assertThat(line).contains("refused", "REGISTER", address));
  }

  @Test
  void a_refused_listener_hears_nothing_told_on_that_address() {
    BridgeSocket browser = connect();
    browser.write(new JsonObject().put("type", "register").put("address", "switchboard.secrets"));
    browser.awaitFrame("the bridge to refuse", EventBusBridgeTest::isAccessDenied);
    browser.listenOn(STATUS);

    vertx.eventBus().publish("switchboard.secrets", new JsonObject().put("secret", true));

    // told after the secret, so heard after it, had the secret been let through
    browser.awaitProbe(STATUS);
    assertThat(browser.frames()).noneMatch(frame -> "switchboard.secrets".equals(frame.getString("address")));
  }

  // ---- helpers -------------------------------------------------------------------------------

  private BridgeSocket connect() {
    BridgeSocket socket = BridgeSocket.connect(vertx, node.port());
    sockets.add(socket);
    return socket;
  }

  private static boolean isTold(JsonObject frame, String address) {
    return "rec".equals(frame.getString("type")) && address.equals(frame.getString("address"));
  }

  private static boolean isAccessDenied(JsonObject frame) {
    return "err".equals(frame.getString("type")) && "access_denied".equals(frame.getString("body"));
  }

  private static List<JsonObject> ofOrder(List<JsonObject> envelopes, String orderId) {
    return envelopes.stream().filter(envelope -> orderId.equals(envelope.getString("subject"))).toList();
  }

  private static Logger bridgeLogger() {
    return (Logger) LoggerFactory.getLogger(EventBusBridge.class);
  }

  /** One browser's connection to the bridge: the frames it writes, and every frame it received. */
  private static final class BridgeSocket {

    /** The bridge closes a socket that has not pinged for 10 s; vertx-eventbus.js pings every 5 s. */
    private static final long PING_MILLIS = 2_000;

    private final Vertx vertx;
    private final WebSocketClient client;
    private final WebSocket socket;
    private final List<JsonObject> frames = new CopyOnWriteArrayList<>();
    private final long pinger;

    private BridgeSocket(Vertx vertx, WebSocketClient client, WebSocket socket) {
      this.vertx = vertx;
      this.client = client;
      this.socket = socket;
      // the raw WebSocket transport writes the bridge's frames as binary messages: take both kinds
      socket.handler(data -> frames.add(data.toJsonObject()));
      this.pinger = vertx.setPeriodic(PING_MILLIS, id -> write(new JsonObject().put("type", "ping")));
    }

    static BridgeSocket connect(Vertx vertx, int port) {
      WebSocketClient client = vertx.createWebSocketClient();
      WebSocket socket = await(client.connect(port, "127.0.0.1", "/eventbus/websocket"), "the bridge's WebSocket");
      return new BridgeSocket(vertx, client, socket);
    }

    void write(JsonObject frame) {
      socket.writeTextMessage(frame.encode());
    }

    /** Registers on an address, and waits until it is sure to hear what is told there. */
    void listenOn(String address) {
      write(new JsonObject().put("type", "register").put("address", address));
      awaitProbe(address);
    }

    /**
     * Has the node publish probes on {@code address} until one is heard. The bridge acts on a
     * socket's frames in order, so a probe heard means every frame written before it has been acted on.
     */
    void awaitProbe(String address) {
      String probe = "probe-" + UUID.randomUUID();
      TestNode.poll("a probe told on " + address, () -> {
        vertx.eventBus().publish(address, new JsonObject().put("orderId", probe).put("status", "PENDING"));
        return frames;
      }, received -> received.stream().anyMatch(frame -> isTold(frame, address)
          && probe.equals(frame.getJsonObject("body").getString("orderId"))));
    }

    void awaitFrame(String what, Predicate<JsonObject> wanted) {
      TestNode.poll(what, () -> frames, received -> received.stream().anyMatch(wanted));
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
      await(socket.close(), "closing the bridge's WebSocket");
      await(client.close(), "closing the WebSocket client");
    }
  }
}
