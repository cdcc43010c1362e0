package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocketConnectOptions;
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

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.switchboard.app.TestNode.await;
import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bridge on a node with tokens on: a browser connects with its token (the {@code token} query
 * parameter of the SockJS URL), from the node's own origin; a customer hears its own orders' statuses
 * only, and only an operator hears {@code events.live}. A real WebSocket client, as in
 * {@link EventBusBridgeTest}.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class EventBusBridgeSecurityTest {

  private static final String STATUS = "orders.status";
  private static final String LIVE = "events.live";
  private static final String ALICE = "alice";
  private static final String BOB = "bob";

  @TempDir
  Path dir;

  private Vertx vertx;
  private TestNode node;
  private TestTokens tokens;
  private final List<BridgeSocket> sockets = new ArrayList<>();

  @BeforeEach
  void startASecuredNode(Vertx vertx) {
    this.vertx = vertx;
    tokens = new TestTokens(vertx);
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("security", tokens.securityConfig())));
  }

  @AfterEach
  void stopTheNode() {
    sockets.forEach(BridgeSocket::close);
    node.stop();
  }

  @Test
  void a_browser_without_a_valid_token_cannot_open_the_bridge() {
    assertThat(BridgeSocket.refusal(vertx, options(null))).hasMessageContaining("401");
    assertThat(BridgeSocket.refusal(vertx, options("not-a-token"))).hasMessageContaining("401");
    assertThat(BridgeSocket.refusal(vertx, options(tokens.expired(ALICE, "customer")))).hasMessageContaining("401");

    RawHttp info = RawHttp.send(node.port(), "GET", "/eventbus/info", "Host: 127.0.0.1\r\n", null);
    assertThat(info.status()).isEqualTo(401);
    assertThat(info.hasHeader("WWW-Authenticate")).isTrue();
  }

  @Test
  void a_browser_on_a_page_of_another_origin_cannot_open_the_bridge_even_with_a_token() {
    WebSocketConnectOptions foreign = options(tokens.operator("ops-1")).addHeader("Origin", "https://evil.example");

    assertThat(BridgeSocket.refusal(vertx, foreign)).hasMessageContaining("403");
    RawHttp info = RawHttp.send(node.port(), "GET", "/eventbus/info?token=" + tokens.operator("ops-1"),
        "Host: 127.0.0.1\r\nOrigin: https://evil.example\r\n", null);
    assertThat(info.status()).isEqualTo(403);
    assertThat(info.hasHeader("Access-Control-Allow-Origin")).isFalse();
    assertThat(info.hasHeader("Access-Control-Allow-Credentials")).isFalse();
  }

  @Test
  void a_customer_hears_the_statuses_of_its_own_orders_only_and_never_whose_they_are() {
    BridgeSocket alice = connect(tokens.customer(ALICE));
    alice.listenOn(STATUS, new JsonObject().put("customerId", ALICE));
    BridgeSocket bob = connect(tokens.customer(BOB));
    bob.listenOn(STATUS, new JsonObject().put("customerId", BOB));

    String alices = place(ALICE);
    String bobs = place(BOB);
    alice.awaitFrame("alice's order to be told final", frame -> isFinal(frame, alices));
    bob.awaitFrame("bob's order to be told final", frame -> isFinal(frame, bobs));
    // a later probe for alice: had bob's statuses been let through to her, they would be heard by now
    alice.awaitProbe(STATUS, new JsonObject().put("customerId", ALICE));

    assertThat(alice.toldOn(STATUS)).extracting(status -> status.getString("orderId")).containsOnly(alices);
    assertThat(bob.toldOn(STATUS)).extracting(status -> status.getString("orderId")).containsOnly(bobs);
    assertThat(alice.toldOn(STATUS)).hasSizeGreaterThanOrEqualTo(2)
        .allSatisfy(status -> assertThat(status.containsKey("customerId")).isFalse());
  }

  @Test
  void only_an_operator_hears_live_events_and_every_order() {
    BridgeSocket customer = connect(tokens.customer(ALICE));
    customer.listenOn(STATUS, new JsonObject().put("customerId", ALICE));
    customer.write(new JsonObject().put("type", "register").put("address", LIVE));
    customer.awaitFrame("the bridge to refuse a customer events.live", frame -> BridgeSocket.isRefused(frame, "rejected"));
    BridgeSocket operator = connect(tokens.operator("ops-1"));
    operator.listenOn(LIVE);
    operator.listenOn(STATUS);

    String alices = place(ALICE);
    String bobs = place(BOB);

    operator.awaitFrame("alice's order to be told final", frame -> isFinal(frame, alices));
    operator.awaitFrame("bob's order to be told final", frame -> isFinal(frame, bobs));
    TestNode.poll("the orders' events to be told live", () -> operator.toldOn(LIVE),
        told -> told.stream().anyMatch(envelope -> bobs.equals(envelope.getString("subject"))));
    customer.awaitProbe(STATUS, new JsonObject().put("customerId", ALICE));
    assertThat(customer.frames()).noneMatch(frame -> BridgeSocket.isTold(frame, LIVE));
  }

  @Test
  void a_socket_is_closed_at_the_first_message_after_its_token_expired() {
    // 30 s of clock skew are forgiven: this token is accepted for about 6 s more
    BridgeSocket alice = connect(tokens.expiredSecondsAgo(24, ALICE, "customer"));
    alice.listenOn(STATUS, new JsonObject().put("customerId", ALICE));

    TestNode.poll("the socket to be closed at a message after its token expired", () -> {
      vertx.eventBus().publish(STATUS, new JsonObject().put("orderId", "late").put("customerId", ALICE)
          .put("status", "PENDING"));
      return alice.closed();
    }, closed -> closed);
  }

  // ---- helpers -------------------------------------------------------------------------------

  private WebSocketConnectOptions options(String token) {
    String query = token == null ? "" : "?token=" + URLEncoder.encode(token, StandardCharsets.UTF_8);
    return new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port()).setURI(BridgeSocket.PATH + query);
  }

  private BridgeSocket connect(String token) {
    BridgeSocket socket = BridgeSocket.connect(vertx, options(token));
    sockets.add(socket);
    return socket;
  }

  private String place(String customer) {
    HttpResponse<Buffer> placed = await(node.client().post("/orders").bearerTokenAuthentication(tokens.customer(customer))
        .sendJsonObject(order(customer, item("sku-1", 1, 10))), "placing an order for " + customer);
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(202);
    return placed.bodyAsJsonObject().getString("orderId");
  }

  private static boolean isFinal(JsonObject frame, String orderId) {
    return BridgeSocket.isTold(frame, STATUS) && orderId.equals(frame.getJsonObject("body").getString("orderId"))
        && TestNode.FINAL.contains(frame.getJsonObject("body").getString("status"));
  }
}
