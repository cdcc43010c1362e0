package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import dev.switchboard.app.config.ConfigurationError;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secure by default, easy on a laptop (DESIGN §1.2): out of the box a node listens on loopback and asks
 * no credentials; one that would listen elsewhere without authentication refuses to start, saying why.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpListenerExposureTest {

  @TempDir
  Path dir;

  @Test
  void out_of_the_box_a_node_listens_on_loopback_without_credentials() {
    JsonObject defaults = dev.switchboard.app.config.Configuration.defaults();

    assertThat(defaults.getJsonObject("http").getString("host")).isEqualTo("127.0.0.1");
    assertThat(defaults.getJsonObject("security").getString("mode")).isEqualTo("none");
  }

  @ParameterizedTest
  @ValueSource(strings = {"0.0.0.0", "::", "192.168.1.20", "shop.example", ""})
  void a_node_on_another_interface_without_authentication_refuses_to_start_and_says_why(String host, Vertx vertx) {
    JsonObject config = TestNode.config(dir, new JsonObject().put("http", new JsonObject().put("host", host)));

    Throwable failure = TestNode.startFailure(vertx, config);

    assertThat(failure).isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("not a loopback address")
        .hasMessageContaining("security.mode");
  }

  @ParameterizedTest
  @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"})
  void loopback_is_loopback_however_it_is_written(String host, Vertx vertx) {
    TestNode node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("http", new JsonObject().put("host", host))));
    node.stop();
  }

  @Test
  void with_tokens_on_a_node_may_listen_on_every_interface(Vertx vertx) {
    JsonObject config = TestNode.config(dir, new JsonObject()
        .put("http", new JsonObject().put("host", "0.0.0.0"))
        .put("security", new TestTokens(vertx).securityConfig()));

    TestNode node = TestNode.start(vertx, config);

    assertThat(node.get("/orders").statusCode()).isEqualTo(401);
    node.stop();
  }

  @Test
  void tokens_on_without_keys_an_issuer_or_an_audience_refuse_to_start(Vertx vertx) {
    JsonObject complete = new TestTokens(vertx).securityConfig();
    JsonObject noKeys = complete.copy();
    noKeys.getJsonObject("jwt").remove("publicKeys");
    JsonObject noIssuer = complete.copy();
    noIssuer.getJsonObject("jwt").put("issuer", "");
    JsonObject noAudience = complete.copy();
    noAudience.getJsonObject("jwt").put("audience", "");
    JsonObject badKey = complete.copy();
    badKey.getJsonObject("jwt").put("publicKeys", new io.vertx.core.json.JsonArray().add("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----"));
    JsonObject unknownMode = new JsonObject().put("mode", "basic");

    assertThat(TestNode.startFailure(vertx, TestNode.config(dir, new JsonObject().put("security", noKeys))))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("publicKeys");
    assertThat(TestNode.startFailure(vertx, TestNode.config(dir, new JsonObject().put("security", noIssuer))))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("issuer");
    assertThat(TestNode.startFailure(vertx, TestNode.config(dir, new JsonObject().put("security", noAudience))))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("audience");
    assertThat(TestNode.startFailure(vertx, TestNode.config(dir, new JsonObject().put("security", badKey))))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("publicKeys[0]");
    assertThat(TestNode.startFailure(vertx, TestNode.config(dir, new JsonObject().put("security", unknownMode))))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("security.mode");
  }
}
