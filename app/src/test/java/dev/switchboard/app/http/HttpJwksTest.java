package dev.switchboard.app.http;

import dev.switchboard.app.Node;
import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static dev.switchboard.app.TestNode.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code security.jwt.jwksUrl}: the node reads the identity provider's keys from its JWKS endpoint
 * (here a server the test runs) instead of configured PEM keys.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpJwksTest {

  @TempDir
  Path dir;

  private HttpServer identityProvider;

  @AfterEach
  void stopTheProvider() {
    if (identityProvider != null) {
      await(identityProvider.close(), "stopping the JWKS endpoint");
    }
  }

  @Test
  void tokens_are_verified_with_the_keys_of_the_jwks_endpoint(Vertx vertx) {
    TestTokens tokens = new TestTokens(vertx);
    TestTokens stranger = new TestTokens(vertx);
    identityProvider = await(vertx.createHttpServer()
        .requestHandler(request -> request.response().putHeader("Content-Type", "application/json")
            .end(new JsonObject().put("keys", new JsonArray().add(tokens.jwk())).encode()))
        .listen(0, "127.0.0.1"), "the JWKS endpoint");
    JsonObject security = tokens.securityConfig();
    security.getJsonObject("jwt").put("publicKeys", new JsonArray())
        .put("jwksUrl", "http://127.0.0.1:" + identityProvider.actualPort() + "/.well-known/jwks.json");

    TestNode node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("security", security)));
    try {
      HttpResponse<Buffer> signedByTheProvider = await(node.client().get("/session")
          .bearerTokenAuthentication(tokens.operator("ops-1")).send(), "GET /session");
      HttpResponse<Buffer> signedBySomeoneElse = await(node.client().get("/session")
          .bearerTokenAuthentication(stranger.operator("ops-1")).send(), "GET /session");

      assertThat(signedByTheProvider.statusCode()).as(signedByTheProvider.bodyAsString()).isEqualTo(200);
      assertThat(signedByTheProvider.bodyAsJsonObject().getString("principal")).isEqualTo("ops-1");
      assertThat(signedBySomeoneElse.statusCode()).isEqualTo(401);
    } finally {
      node.stop();
    }
  }

  @Test
  void a_node_whose_jwks_endpoint_cannot_be_read_does_not_start(Vertx vertx) throws Exception {
    JsonObject security = new TestTokens(vertx).securityConfig();
    security.getJsonObject("jwt").put("publicKeys", new JsonArray()).put("jwksUrl", "http://127.0.0.1:1/jwks.json");

    try {
      Node.start(vertx, TestNode.config(dir, new JsonObject().put("security", security)))
          .toCompletionStage().toCompletableFuture().get(TestNode.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      throw new AssertionError("the node started without keys");
    } catch (ExecutionException e) {
      assertThat(e.getCause()).hasMessageContaining("security.jwt.jwksUrl");
    }
  }
}
