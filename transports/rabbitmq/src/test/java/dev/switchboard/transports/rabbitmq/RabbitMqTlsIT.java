package dev.switchboard.transports.rabbitmq;

import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.TestCertificates;
import dev.switchboard.runtime.transport.delivery.WireTransport;
import dev.switchboard.transports.rabbitmq.testing.TlsProxy;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * RabbitMQ over TLS with the broker's host name checked, through a real TLS listener: a proxy made by
 * the test (presenting a certificate made by the test) in front of the shared local broker.
 */
class RabbitMqTlsIT extends RabbitMqTransportTestBase {

  @TempDir
  static Path certificates;
  static TestCertificates tls;

  private final List<TlsProxy> proxies = new ArrayList<>();

  @BeforeAll
  static void makeCertificates() {
    tls = TestCertificates.in(certificates);
  }

  @AfterEach
  void closeProxies() {
    proxies.forEach(TlsProxy::close);
  }

  @Test
  void events_are_published_and_consumed_over_tls_with_the_host_name_checked() {
    WireTransport overTls = transport(overTls(tls.localhost(), tls.caPem(), ""));
    Recorder recorder = new Recorder(unique("tls"));
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED);
    subscribe(overTls, consumer.name(), consumer.types(), runner(consumer));
    List<StoredEvent> placed = commitNew(orderPlaced(newOrderId()));

    Await.onContext(context, () -> overTls.publish(placed));

    Await.until("the event is consumed over TLS", () -> recorder.applied(store, placed.get(0).id()));
  }

  @Test
  void a_pkcs12_trust_store_works_as_well_as_a_pem_file() {
    WireTransport overTls = transport(overTls(tls.localhost(), tls.caPkcs12(), TestCertificates.PASSWORD));

    result(overTls.ping());
  }

  @Test
  void trust_all_connects_whatever_the_certificate_for_tests_only() {
    WireTransport lax = transport(overTls(tls.unknownCa(), new JsonObject().put("trustAll", true)));

    result(lax.ping());
  }

  @Test
  void a_certificate_for_another_host_is_refused_with_a_clear_reason() {
    String reason = refusal(overTls(tls.wrongHost(), tls.caPem(), ""));

    assertThat(reason).contains("SSLHandshakeException").contains("localhost");
  }

  @Test
  void a_certificate_of_an_unknown_authority_is_refused_with_a_clear_reason() {
    String reason = refusal(overTls(tls.unknownCa(), tls.caPem(), ""));

    assertThat(reason).contains("SSLHandshakeException").contains("PKIX path");
  }

  /** Settings of an amqps:// URI through a new TLS proxy presenting {@code certificate}. */
  private RabbitMqSettings overTls(TestCertificates.Issued certificate, Path trustStore, String password) {
    return overTls(certificate, new JsonObject().put("trustStorePath", trustStore.toString())
        .put("trustStorePassword", password));
  }

  /** Settings of an amqps:// URI through a new TLS proxy presenting {@code certificate}, with these TLS keys. */
  private RabbitMqSettings overTls(TestCertificates.Issued certificate, JsonObject tlsKeys) {
    TlsProxy proxy = TlsProxy.start(tls.presenting(certificate), "127.0.0.1", 5672);
    proxies.add(proxy);
    String uri = "amqps://guest:guest@localhost:" + proxy.port() + "/"
        + URLEncoder.encode(broker.vhost(), StandardCharsets.UTF_8);
    return RabbitMqTestSettings.from(tlsKeys.copy().put("uri", uri))
        .withReconnectIntervalMillis(200).withRetryBackoff(10, 200);
  }

  /** Why a transport on these settings stays unready: what its pings say once it has tried. */
  private String refusal(RabbitMqSettings settings) {
    WireTransport refused = overRabbitMq(vertx, settings);
    try {
      AtomicReference<String> reason = new AtomicReference<>("");
      Await.until("a ping names why the connection was refused", () -> {
        Throwable failure = Await.failure(refused.ping());
        reason.set(String.valueOf(failure.getMessage()));
        return reason.get().contains("last attempt");
      });
      assertThat(reason.get()).doesNotContain("guest:guest");
      return reason.get();
    } finally {
      result(refused.close());
    }
  }
}
