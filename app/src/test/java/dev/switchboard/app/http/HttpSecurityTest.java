package dev.switchboard.app.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpRequest;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.app.TestNode.await;
import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A node with {@code security.mode=jwt} (DESIGN §1.2), over real HTTP with tokens minted by the test's
 * own identity provider: each role reaches what it may, and meets 401 or 403 elsewhere; a customer
 * never sees another customer's order; every operator action leaves an audit line naming who.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpSecurityTest {

  private static final String ALICE = "alice";
  private static final String BOB = "bob";
  private static final String OPERATOR = "ops-1";

  @TempDir
  static Path dir;

  private static TestNode node;
  private static TestTokens tokens;
  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

  @BeforeAll
  static void startASecuredNode(Vertx vertx) {
    tokens = new TestTokens(vertx);
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("security", tokens.securityConfig())));
  }

  @AfterAll
  static void stopTheNode() {
    node.stop();
  }

  @BeforeEach
  void listenToTheAuditLog() {
    audit.start();
    auditLogger().addAppender(audit);
    // the tests' logback configuration keeps WARN and up; the app's keeps audit lines at INFO
    auditLogger().setLevel(Level.INFO);
  }

  @AfterEach
  void stopListening() {
    auditLogger().detachAppender(audit);
    auditLogger().setLevel(null);
  }

  // ---- no token, or one that does not hold: 401 -------------------------------------------------

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"GET,/orders", "POST,/orders", "GET,/orders/some-order", "GET,/orders/some-order/events",
      "GET,/dead-letters", "POST,/dead-letters/x/replay", "DELETE,/dead-letters/x", "GET,/admin/projections",
      "POST,/admin/projections/orders/rebuild", "GET,/admin/status", "GET,/metrics", "GET,/session"})
  void without_a_token_every_route_but_the_open_ones_is_a_401_with_a_bearer_challenge(String method, String path) {
    HttpResponse<Buffer> response = send(HttpMethod.valueOf(method), path, null, method.equals("POST") ? new JsonObject() : null);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(401);
    assertThat(response.getHeader("WWW-Authenticate")).startsWith("Bearer");
    assertThat(response.getHeader("Content-Type")).startsWith("application/json");
    assertThat(response.bodyAsJsonObject().getString("error")).isNotBlank();
  }

  @Test
  void a_token_that_does_not_hold_is_a_401_that_names_no_key_and_echoes_no_token(Vertx vertx) {
    String tokenFromAnotherProvider = new TestTokens(vertx).customer(ALICE);
    List<String> refused = List.of(
        tokenFromAnotherProvider,
        tokens.expired(ALICE, "customer"),
        tokens.withoutExpiry(ALICE, "customer"),
        tokens.forAudience("another-service", ALICE, "customer"),
        tokens.fromIssuer("https://someone.else.example", ALICE, "customer"),
        TestTokens.unsigned(ALICE, "operator"),
        "not-a-jwt-at-all",
        tokens.customer(ALICE) + "x");

    for (String token : refused) {
      HttpResponse<Buffer> response = send(HttpMethod.GET, "/orders", token, null);
      assertThat(response.statusCode()).as("a token refused: %s", response.bodyAsString()).isEqualTo(401);
      assertThat(response.getHeader("WWW-Authenticate")).contains("Bearer", "invalid_token");
      assertThat(response.bodyAsString()).doesNotContain(token).doesNotContain("BEGIN");
    }
    assertThat(send(HttpMethod.GET, "/orders", tokens.expired(ALICE, "customer"), null)
        .bodyAsJsonObject().getString("error")).contains("expired");
  }

  @Test
  void health_the_catalog_and_the_page_stay_open() {
    for (String path : List.of("/health", "/health/live", "/health/ready", "/catalog", "/")) {
      assertThat(send(HttpMethod.GET, path, null, null).statusCode()).as(path).isIn(200, 503);
    }
  }

  // ---- customers ---------------------------------------------------------------------------------

  @Test
  void a_customer_places_orders_for_itself_only() {
    HttpResponse<Buffer> own = send(HttpMethod.POST, "/orders", tokens.customer(ALICE), order(ALICE, item("sku-1", 1, 10)));
    HttpResponse<Buffer> forBob = send(HttpMethod.POST, "/orders", tokens.customer(ALICE), order(BOB, item("sku-1", 1, 10)));

    assertThat(own.statusCode()).as(own.bodyAsString()).isEqualTo(202);
    assertThat(forBob.statusCode()).isEqualTo(403);
    assertThat(forBob.bodyAsJsonObject().getString("error")).contains("only for itself");
  }

  @Test
  void a_customer_reads_its_own_orders_and_another_customers_order_is_unknown_to_it() {
    String alices = placeAs(ALICE);
    String bobs = placeAs(BOB);

    JsonArray listed = send(HttpMethod.GET, "/orders?limit=1000", tokens.customer(ALICE), null)
        .bodyAsJsonObject().getJsonArray("items");
    assertThat(listed).isNotEmpty().allSatisfy(view -> assertThat(((JsonObject) view).getString("customerId")).isEqualTo(ALICE));
    assertThat(listed).extracting(view -> ((JsonObject) view).getString("orderId")).contains(alices).doesNotContain(bobs);

    assertThat(send(HttpMethod.GET, "/orders/" + alices, tokens.customer(ALICE), null).statusCode()).isEqualTo(200);
    assertThat(send(HttpMethod.GET, "/orders/" + alices + "/events", tokens.customer(ALICE), null).statusCode())
        .isEqualTo(200);
    HttpResponse<Buffer> bobsOrder = send(HttpMethod.GET, "/orders/" + bobs, tokens.customer(ALICE), null);
    HttpResponse<Buffer> bobsEvents = send(HttpMethod.GET, "/orders/" + bobs + "/events", tokens.customer(ALICE), null);
    HttpResponse<Buffer> noSuchOrder = send(HttpMethod.GET, "/orders/order-that-never-was", tokens.customer(ALICE), null);
    assertThat(bobsOrder.statusCode()).isEqualTo(404);
    assertThat(bobsEvents.statusCode()).isEqualTo(404);
    assertThat(bobsOrder.bodyAsJsonObject().getString("error"))
        .as("exactly as if it did not exist").isEqualTo(noSuchOrder.bodyAsJsonObject().getString("error")
            .replace("order-that-never-was", bobs));
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"GET,/dead-letters", "POST,/dead-letters/x/replay", "DELETE,/dead-letters/x", "GET,/admin/projections",
      "POST,/admin/projections/orders/rebuild", "GET,/admin/status", "GET,/metrics"})
  void a_customer_is_refused_operations_with_403(String method, String path) {
    HttpResponse<Buffer> response = send(HttpMethod.valueOf(method), path, tokens.customer(ALICE), null);

    assertThat(response.statusCode()).as(response.bodyAsString()).isEqualTo(403);
    assertThat(response.bodyAsJsonObject().getString("error")).contains("operator");
  }

  @Test
  void a_token_with_no_role_we_know_reaches_nothing_but_its_session() {
    String nobody = tokens.token("nobody", "admin", "superuser");

    assertThat(send(HttpMethod.GET, "/orders", nobody, null).statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.POST, "/orders", nobody, order("nobody", item("sku-1", 1, 10))).statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/dead-letters", nobody, null).statusCode()).isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/session", nobody, null).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("principal", "nobody").put("roles", new JsonArray()).put("secured", true));
  }

  // ---- operators ---------------------------------------------------------------------------------

  @Test
  void an_operator_reaches_operations_and_reads_every_order_but_places_none() {
    String alices = placeAs(ALICE);
    String bobs = placeAs(BOB);
    String operator = tokens.operator(OPERATOR);

    for (String path : List.of("/dead-letters", "/admin/projections", "/admin/status", "/metrics")) {
      assertThat(send(HttpMethod.GET, path, operator, null).statusCode()).as(path).isEqualTo(200);
    }
    assertThat(send(HttpMethod.GET, "/orders?limit=1000", operator, null).bodyAsJsonObject().getJsonArray("items"))
        .extracting(view -> ((JsonObject) view).getString("orderId")).contains(alices, bobs);
    assertThat(send(HttpMethod.GET, "/orders/" + bobs, operator, null).statusCode()).isEqualTo(200);
    assertThat(send(HttpMethod.POST, "/orders", operator, order(ALICE, item("sku-1", 1, 10))).statusCode())
        .as("placing is a customer's act").isEqualTo(403);
    assertThat(send(HttpMethod.GET, "/session", operator, null).bodyAsJsonObject())
        .isEqualTo(new JsonObject().put("principal", OPERATOR).put("roles", new JsonArray().add("operator"))
            .put("secured", true));
  }

  @Test
  void every_operator_action_is_audited_with_who_did_it_what_and_on_what() {
    String operator = tokens.operator(OPERATOR);

    assertThat(send(HttpMethod.POST, "/admin/projections/orders/rebuild", operator, null).statusCode()).isEqualTo(202);
    assertThat(send(HttpMethod.POST, "/dead-letters/letter-1/replay", operator, null).statusCode()).isEqualTo(404);
    assertThat(send(HttpMethod.DELETE, "/dead-letters/letter-2", operator, null).statusCode()).isEqualTo(404);
    assertThat(send(HttpMethod.DELETE, "/dead-letters/letter-3", tokens.customer(ALICE), null).statusCode()).isEqualTo(403);

    List<String> lines = TestNode.poll("four audit lines", () -> auditLines(), found -> found.size() >= 4);
    assertThat(lines).containsExactly(
        "principal=ops-1 action=projection.rebuild target=orders status=202",
        "principal=ops-1 action=dead-letter.replay target=letter-1 status=404",
        "principal=ops-1 action=dead-letter.discard target=letter-2 status=404",
        "principal=alice action=dead-letter.discard target=letter-3 status=403");
    assertThat(audit.list).allSatisfy(line -> assertThat(line.getLevel().toString()).isEqualTo("INFO"));
  }

  // ---- helpers -------------------------------------------------------------------------------------

  private String placeAs(String customer) {
    HttpResponse<Buffer> placed = send(HttpMethod.POST, "/orders", tokens.customer(customer),
        order(customer, item("sku-1", 1, 10)));
    assertThat(placed.statusCode()).as(placed.bodyAsString()).isEqualTo(202);
    return placed.bodyAsJsonObject().getString("orderId");
  }

  private static HttpResponse<Buffer> send(HttpMethod method, String path, String token, JsonObject body) {
    HttpRequest<Buffer> request = node.client().request(method, path);
    if (token != null) {
      request.bearerTokenAuthentication(token);
    }
    return await(body == null ? request.send() : request.sendJsonObject(body), method + " " + path);
  }

  private List<String> auditLines() {
    return audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static Logger auditLogger() {
    return (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
  }
}
