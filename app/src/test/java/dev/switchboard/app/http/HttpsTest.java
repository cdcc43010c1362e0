package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import dev.switchboard.runtime.testing.DefaultConfig;
import dev.switchboard.runtime.testing.TestCertificates;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** HTTPS for the API, checked by a real HTTPS client (java.net.http, which checks the host name). */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class HttpsTest {

  @TempDir
  static Path certificates;
  static TestCertificates tls;

  @TempDir
  Path dir;
  TestNode node;

  @BeforeAll
  static void makeCertificates() {
    tls = TestCertificates.in(certificates);
  }

  @AfterEach
  void stop() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void with_a_pem_certificate_and_key_the_api_answers_over_https_a_client_trusting_its_authority(Vertx vertx)
      throws Exception {
    node = TestNode.start(vertx, TestNode.config(dir, tlsOn(new JsonObject()
        .put("certPath", tls.localhost().chainPem().toString()).put("keyPath", tls.localhost().keyPem().toString()))));

    assertThat(get(tls.trustingCa(), "https").statusCode()).isEqualTo(200);
  }

  @Test
  void with_a_pkcs12_key_store_the_api_answers_over_https(Vertx vertx) throws Exception {
    node = TestNode.start(vertx, TestNode.config(dir, tlsOn(new JsonObject()
        .put("keyStorePath", tls.localhost().pkcs12().toString())
        .put("keyStorePassword", TestCertificates.PASSWORD))));

    assertThat(get(tls.trustingCa(), "https").statusCode()).isEqualTo(200);
  }

  @Test
  void a_client_trusting_another_authority_refuses_the_server_and_plain_http_gets_no_answer(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, tlsOn(new JsonObject()
        .put("certPath", tls.localhost().chainPem().toString()).put("keyPath", tls.localhost().keyPem().toString()))));

    assertThatThrownBy(() -> get(tls.trustingUnknownCa(), "https")).isInstanceOf(SSLHandshakeException.class);
    assertThatThrownBy(() -> get(tls.trustingCa(), "http")).isInstanceOf(IOException.class);
  }

  @Test
  void a_certificate_for_another_host_is_refused_by_the_client(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir, tlsOn(new JsonObject()
        .put("certPath", tls.wrongHost().chainPem().toString()).put("keyPath", tls.wrongHost().keyPem().toString()))));

    assertThatThrownBy(() -> get(tls.trustingCa(), "https")).isInstanceOf(SSLHandshakeException.class)
        .hasMessageContaining("localhost");
  }

  @Test
  void tls_on_without_a_certificate_or_with_both_kinds_is_refused_naming_the_keys() {
    assertThatThrownBy(() -> httpTlsFrom(new JsonObject().put("enabled", true)))
        .hasMessageContaining("http.tls.certPath").hasMessageContaining("http.tls.keyStorePath");
    assertThatThrownBy(() -> httpTlsFrom(new JsonObject().put("enabled", true)
        .put("keyStorePath", "/nowhere.p12").put("keyStorePassword", "s3cret")))
        .hasMessageContaining("http.tls.keyStorePath").hasMessageNotContaining("s3cret");
    assertThat(httpTlsFrom(new JsonObject().put("keyStorePassword", "s3cret")).toString()).doesNotContain("s3cret");
  }

  private static JsonObject tlsOn(JsonObject tls) {
    return new JsonObject().put("http", new JsonObject().put("tls", tls.put("enabled", true)));
  }

  private HttpResponse<String> get(SSLContext trusting, String scheme) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newBuilder().sslContext(trusting).connectTimeout(Duration.ofSeconds(5)).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create(scheme + "://localhost:" + node.port() + "/health/live"))
        .timeout(Duration.ofSeconds(5)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** {@code http.tls} as a node reads it: {@code config/default.json}'s, with the test's on top. */
  private static HttpTls httpTlsFrom(JsonObject overrides) {
    return HttpTls.from(DefaultConfig.section(overrides, "http", "tls"));
  }
}
