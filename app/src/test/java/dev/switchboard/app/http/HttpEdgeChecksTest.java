package dev.switchboard.app.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks every request meets first, on a node as it runs out of the box (loopback, no tokens):
 * the {@code Host} must be one of the node's names (no DNS rebinding), a state-changing request from
 * a page of another origin is refused (no cross-site request forgery), a body must be JSON; and
 * operator actions are audited with the anonymous principal.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpEdgeChecksTest {

  private static final String ORDER = order("customer-1", item("sku-1", 1, 10)).encode();

  @TempDir
  Path dir;

  private TestNode node;
  private final ListAppender<ILoggingEvent> audit = new ListAppender<>();

  @AfterEach
  void stop() {
    ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).detachAppender(audit);
    ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).setLevel(null);
    if (node != null) {
      node.stop();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"localhost", "127.0.0.1", "[::1]", "LOCALHOST"})
  void the_default_names_are_answered_whatever_the_port(String host, Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    RawHttp answer = RawHttp.send(node.port(), "GET", "/orders", "Host: " + host + ":" + node.port() + "\r\n", null);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {"evil.example", "evil.example:8080", "127.0.0.1.evil.example", "localhost.evil.example"})
  void a_request_for_another_host_is_a_421_dns_rebinding_reaches_nothing(String host, Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    RawHttp read = RawHttp.send(node.port(), "GET", "/orders", "Host: " + host + "\r\n", null);
    RawHttp write = RawHttp.send(node.port(), "POST", "/orders",
        "Host: " + host + "\r\nContent-Type: application/json\r\n", ORDER);

    assertThat(read.status()).isEqualTo(421);
    assertThat(read.json().getString("error")).contains("http.allowedHosts").doesNotContain(host);
    assertThat(write.status()).isEqualTo(421);
    assertThat(node.get("/orders").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void a_request_without_a_host_is_a_400_and_health_answers_whatever_the_host(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    RawHttp noHost = RawHttp.send(node.port(), "GET", "/orders", "", null);
    RawHttp probe = RawHttp.send(node.port(), "GET", "/health/live", "Host: 10.0.0.7:8080\r\n", null);

    assertThat(noHost.status()).isEqualTo(400);
    assertThat(noHost.json().getString("error")).isNotBlank();
    assertThat(probe.status()).isEqualTo(200);
  }

  @Test
  void configured_names_are_answered_and_the_defaults_no_longer(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("http", new JsonObject()
        .put("allowedHosts", new JsonArray().add("127.0.0.1").add("shop.example:8443")))));

    assertThat(RawHttp.send(node.port(), "GET", "/orders", "Host: shop.example:8443\r\n", null).status()).isEqualTo(200);
    assertThat(RawHttp.send(node.port(), "GET", "/orders", "Host: shop.example:9999\r\n", null).status()).isEqualTo(421);
    assertThat(RawHttp.send(node.port(), "GET", "/orders", "Host: localhost\r\n", null).status()).isEqualTo(421);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://evil.example", "http://localhost:1", "null"})
  void a_state_changing_request_from_a_page_of_another_origin_is_a_403(String origin, Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    String host = "Host: 127.0.0.1:" + node.port() + "\r\n";

    RawHttp place = RawHttp.send(node.port(), "POST", "/orders",
        host + "Origin: " + origin + "\r\nContent-Type: application/json\r\n", ORDER);
    RawHttp discard = RawHttp.send(node.port(), "DELETE", "/dead-letters/x", host + "Origin: " + origin + "\r\n", null);
    RawHttp read = RawHttp.send(node.port(), "GET", "/orders", host + "Origin: " + origin + "\r\n", null);

    assertThat(place.status()).isEqualTo(403);
    assertThat(place.json().getString("error")).contains("origin");
    assertThat(discard.status()).isEqualTo(403);
    assertThat(read.status()).as("a read changes nothing; the browser keeps its answer from the page").isEqualTo(200);
    assertThat(node.get("/orders").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void the_nodes_own_origin_and_configured_ones_may_change_state(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("http", new JsonObject()
        .put("allowedOrigins", new JsonArray().add("https://admin.example")))));
    String host = "Host: localhost:" + node.port() + "\r\nContent-Type: application/json\r\n";

    RawHttp own = RawHttp.send(node.port(), "POST", "/orders", host + "Origin: http://localhost:" + node.port() + "\r\n", ORDER);
    RawHttp configured = RawHttp.send(node.port(), "POST", "/orders", host + "Origin: https://admin.example\r\n", ORDER);
    RawHttp noOrigin = RawHttp.send(node.port(), "POST", "/orders", host, ORDER);

    assertThat(List.of(own.status(), configured.status(), noOrigin.status())).containsOnly(202);
  }

  @ParameterizedTest
  @ValueSource(strings = {"text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "application/jsonp"})
  void a_body_that_is_not_json_is_a_415_a_cross_site_form_places_nothing(String contentType, Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    RawHttp answer = RawHttp.send(node.port(), "POST", "/orders",
        "Host: 127.0.0.1\r\nContent-Type: " + contentType + "\r\n", ORDER);
    RawHttp untyped = RawHttp.send(node.port(), "POST", "/orders", "Host: 127.0.0.1\r\n", ORDER);

    assertThat(answer.status()).isEqualTo(415);
    assertThat(answer.json().getString("error")).contains("application/json");
    assertThat(untyped.status()).isEqualTo(415);
    assertThat(node.get("/orders").bodyAsJsonObject().getJsonArray("items")).isEmpty();
  }

  @Test
  void json_with_a_charset_is_json(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));

    RawHttp answer = RawHttp.send(node.port(), "POST", "/orders",
        "Host: 127.0.0.1\r\nContent-Type: Application/JSON; charset=utf-8\r\n", ORDER);

    assertThat(answer.status()).as(answer.body()).isEqualTo(202);
  }

  @Test
  void without_authentication_operator_actions_are_audited_as_anonymous_and_a_forged_line_is_escaped(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    audit.start();
    ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).addAppender(audit);
    // the tests' logback configuration keeps WARN and up; the app's keeps audit lines at INFO
    ((Logger) LoggerFactory.getLogger(AuditLog.LOGGER)).setLevel(Level.INFO);

    node.request(io.vertx.core.http.HttpMethod.DELETE, "/dead-letters/letter%0Aprincipal=root");
    node.request(io.vertx.core.http.HttpMethod.POST, "/admin/projections/orders/rebuild");

    List<String> lines = TestNode.poll("two audit lines",
        () -> audit.list.stream().map(ILoggingEvent::getFormattedMessage).toList(), found -> found.size() >= 2);
    assertThat(lines).containsExactly(
        "principal=anonymous action=dead-letter.discard target=letter\\u000aprincipal=root status=404",
        "principal=anonymous action=projection.rebuild target=orders status=202");
  }
}
