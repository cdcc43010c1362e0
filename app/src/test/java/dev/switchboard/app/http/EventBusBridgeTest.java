package dev.switchboard.app.http;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.app.TestNode;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
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

  @Test
  void a_status_told_to_a_browser_does_not_say_whose_order_it_is() {
    BridgeSocket browser = connect();
    browser.listenOn(STATUS);

    String orderId = node.place(order("customer-1", item("sku-1", 1, 10)));

    browser.awaitFrame("the order to be told final", frame -> isTold(frame, STATUS)
        && orderId.equals(frame.getJsonObject("body").getString("orderId"))
        && TestNode.FINAL.contains(frame.getJsonObject("body").getString("status")));
    assertThat(browser.toldOn(STATUS)).isNotEmpty().allSatisfy(status -> assertThat(status.fieldNames())
        .doesNotContain("customerId"));
  }

  @Test
  void live_events_never_carry_the_idempotency_key_an_order_was_placed_with() {
    BridgeSocket browser = connect();
    browser.listenOn(LIVE);
    String key = "key-" + UUID.randomUUID();

    HttpResponse<Buffer> placed = node.post("/orders", order("customer-1", item("sku-1", 1, 10)).toBuffer(),
        MultiMap.caseInsensitiveMultiMap().add("Idempotency-Key", key));
    String orderId = placed.bodyAsJsonObject().getString("orderId");
    node.awaitEvent(orderId, "NotificationSent");

    List<JsonObject> told = TestNode.poll("the order's placement to be told live", () -> ofOrder(browser.toldOn(LIVE), orderId),
        events -> events.stream().anyMatch(event -> "OrderPlaced".equals(event.getString("type"))));
    assertThat(told).isNotEmpty();
    assertThat(browser.frames()).noneMatch(frame -> frame.encode().contains(key));
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://evil.example", "http://localhost:1", "null"})
  void a_page_of_another_origin_cannot_open_the_bridge(String origin) {
    WebSocketConnectOptions foreign = new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
        .setURI(BridgeSocket.PATH).addHeader("Origin", origin);

    assertThat(BridgeSocket.refusal(vertx, foreign)).hasMessageContaining("403");
    RawHttp info = RawHttp.send(node.port(), "GET", "/eventbus/info", "Host: 127.0.0.1\r\nOrigin: " + origin + "\r\n", null);
    assertThat(info.status()).isEqualTo(403);
    assertThat(info.hasHeader("Access-Control-Allow-Origin")).as("no arbitrary origin echoed").isFalse();
  }

  @Test
  void the_nodes_own_origin_opens_the_bridge() {
    BridgeSocket sameOrigin = BridgeSocket.connect(vertx, new WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(node.port()).setURI(BridgeSocket.PATH).addHeader("Origin", "http://127.0.0.1:" + node.port()));
    sockets.add(sameOrigin);

    sameOrigin.listenOn(STATUS);
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
    return BridgeSocket.isTold(frame, address);
  }

  private static boolean isAccessDenied(JsonObject frame) {
    return BridgeSocket.isRefused(frame, "access_denied");
  }

  private static List<JsonObject> ofOrder(List<JsonObject> envelopes, String orderId) {
    return envelopes.stream().filter(envelope -> orderId.equals(envelope.getString("subject"))).toList();
  }

  private static Logger bridgeLogger() {
    return (Logger) LoggerFactory.getLogger(EventBusBridge.class);
  }
}
