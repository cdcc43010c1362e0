package dev.switchboard.app;

import dev.switchboard.runtime.testing.TestPostgres;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows the database: the node's PostgreSQL is put behind a proxy, the proxy is cut
 * (the database "goes away" for this node only), readiness goes down while liveness stays up, and
 * both are up again, and orders flow, once it is back.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ReadinessIT {

  @TempDir
  Path dir;

  private Vertx vertx;
  private String database;
  private TcpProxy proxy;
  private TestNode node;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    database = TestPostgres.createDatabase();
    URI server = URI.create(TestPostgres.server().replace("postgresql://", "http://"));
    proxy = TcpProxy.to(vertx, server.getHost(), server.getPort() < 0 ? 5432 : server.getPort());
    String uri = TestPostgres.uri(database).replace(server.getHost() + ":" + (server.getPort() < 0 ? 5432 : server.getPort()),
        "127.0.0.1:" + proxy.port());
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("store", new JsonObject()
        .put("type", "postgres")
        .put("postgres", new JsonObject().put("uri", uri).put("connectTimeoutMillis", 1000)
            .put("statementTimeoutMillis", 2000)))
        .put("http", new JsonObject().put("requestTimeoutMillis", 2000))));
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
    proxy.close();
    TestNode.await(vertx.close(), "vert.x to close");
    TestPostgres.dropDatabase(database);
  }

  @Test
  void readiness_goes_down_with_the_database_and_comes_back_with_it_while_liveness_stays_up() {
    assertThat(node.get("/health/ready").statusCode()).isEqualTo(200);

    proxy.cut();

    JsonObject down = TestNode.poll("readiness to go down", () -> {
      HttpResponse<Buffer> response = node.get("/health/ready");
      return response.statusCode() == 503 ? response.bodyAsJsonObject() : null;
    }, body -> body != null);
    assertThat(down.getString("status")).isEqualTo("DOWN");
    assertThat(down.getJsonObject("checks").getJsonObject("store").getString("status")).isEqualTo("DOWN");
    assertThat(down.getJsonObject("checks").getJsonObject("store").getString("error")).isNotBlank();
    assertThat(down.getJsonObject("checks").getJsonObject("transport").getString("status")).isEqualTo("UP");
    HttpResponse<Buffer> live = node.get("/health/live");
    assertThat(live.statusCode()).as("the process itself is fine").isEqualTo(200);
    assertThat(node.post("/orders", order("c-1", item("sku-1", 1, 10))).statusCode())
        .as("orders cannot be stored meanwhile").isEqualTo(503);

    proxy.restore();

    TestNode.poll("readiness to come back", () -> node.get("/health/ready").statusCode(), status -> status == 200);
    String orderId = node.place(order("c-2", item("sku-1", 1, 10)));
    assertThat(node.awaitFinal(orderId).getString("status")).isEqualTo("CONFIRMED");
  }
}
