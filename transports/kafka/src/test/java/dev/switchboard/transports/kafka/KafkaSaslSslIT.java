package dev.switchboard.transports.kafka;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.testing.Await;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestCertificates;
import dev.switchboard.runtime.testing.TestStores;
import dev.switchboard.runtime.transport.Subscription;
import dev.switchboard.runtime.transport.delivery.WireTransport;
import dev.switchboard.transports.kafka.testing.KafkaBroker;
import dev.switchboard.transports.kafka.testing.KafkaBroker.SecureListener;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
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
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.switchboard.runtime.testing.Await.result;
import static dev.switchboard.runtime.testing.TestEvents.newOrderId;
import static dev.switchboard.runtime.testing.TestEvents.orderPlaced;
import static dev.switchboard.runtime.testing.TestEvents.startStream;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kafka over SASL_SSL (SCRAM) and SSL, on a test broker with TLS listeners presenting certificates
 * made by the test: the transport publishes and consumes with its settings, checks the broker's host
 * name ({@code ssl.endpoint.identification.algorithm=https}, Kafka's default, kept), and logs no secret.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KafkaSaslSslIT {

  private static final String USER = "switchboard";
  private static final String PASSWORD = "scram-s3cret-pw";

  @TempDir
  static Path certificates;
  static TestCertificates tls;
  static KafkaBroker broker;

  @TempDir
  Path dir;
  Vertx vertx;
  Context context;
  EventStore store;
  private final List<WireTransport> transports = new ArrayList<>();
  private final List<Subscription> subscriptions = new ArrayList<>();
  private final ListAppender<ILoggingEvent> log = new ListAppender<>();

  @BeforeAll
  static void startTheBroker() {
    tls = TestCertificates.in(certificates);
    broker = new KafkaBroker(List.of(
        new SecureListener("SECURE", true, tls.localhost().pkcs12(), TestCertificates.PASSWORD),
        new SecureListener("TLSONLY", false, tls.localhost().pkcs12(), TestCertificates.PASSWORD),
        new SecureListener("WRONGHOST", true, tls.wrongHost().pkcs12(), TestCertificates.PASSWORD),
        new SecureListener("UNKNOWNCA", true, tls.unknownCa().pkcs12(), TestCertificates.PASSWORD)),
        Map.of(USER, PASSWORD)).start();
  }

  @AfterAll
  static void stopTheBroker() {
    broker.close();
  }

  @BeforeEach
  void open(Vertx vertx) {
    this.vertx = vertx;
    this.context = vertx.getOrCreateContext();
    this.store = result(TestStores.embedded(vertx, dir));
    log.start();
    root().addAppender(log);
  }

  @AfterEach
  void close() {
    subscriptions.forEach(subscription -> result(subscription.close()));
    transports.forEach(transport -> result(transport.close()));
    result(store.close());
    root().detachAppender(log);
    // whatever the clients logged (their configuration included), no secret
    assertThat(log.list).extracting(ILoggingEvent::getFormattedMessage)
        .noneMatch(line -> line.contains(PASSWORD) || line.contains(TestCertificates.PASSWORD));
  }

  @Test
  void events_are_published_and_consumed_over_sasl_ssl_with_scram_sha_512() {
    WireTransport transport = transport(saslSsl("SECURE", "SCRAM-SHA-512", PASSWORD));
    Recorder recorder = new Recorder("sasl-ssl-" + ProcessHandle.current().pid());
    EventConsumer consumer = recorder.consumerOf(EventCatalog.ORDER_PLACED);
    subscriptions.add(Await.onContext(context, () -> transport.subscribe(consumer.name(), consumer.types(),
        new ConsumerRunner(vertx, store, TestStores.schemas(), consumer, new RetryPolicy(3, 5, 20), Clock.systemUTC(),
            DefaultShop.upcasters()))));
    List<StoredEvent> placed = result(store.commit(startStream(orderPlaced(newOrderId()))));

    Await.onContext(context, () -> transport.publish(placed));

    Await.until("the event is consumed over SASL_SSL", () -> recorder.applied(store, placed.get(0).id()));
  }

  @Test
  void scram_sha_256_and_tls_without_sasl_connect_too() {
    result(transport(saslSsl("SECURE", "SCRAM-SHA-256", PASSWORD)).ping());
    result(transport(KafkaTestSettings.from(base("TLSONLY").put("securityProtocol", "SSL"))).ping());
  }

  @Test
  void a_wrong_password_is_refused() {
    Throwable refused = Await.failure(transport(saslSsl("SECURE", "SCRAM-SHA-512", "not-the-password")).ping());

    assertThat(refused).hasMessageContaining("Authentication failed");
  }

  @Test
  void a_certificate_for_another_host_is_refused() {
    Throwable refused = Await.failure(transport(saslSsl("WRONGHOST", "SCRAM-SHA-512", PASSWORD)).ping());

    assertThat(refused).hasMessageContaining("SSL handshake failed")
        .hasStackTraceContaining("No subject alternative DNS name matching localhost");
  }

  @Test
  void a_certificate_of_an_unknown_authority_is_refused() {
    Throwable refused = Await.failure(transport(saslSsl("UNKNOWNCA", "SCRAM-SHA-512", PASSWORD)).ping());

    assertThat(refused).hasMessageContaining("SSL handshake failed").hasStackTraceContaining("PKIX path building failed");
  }

  private KafkaSettings saslSsl(String listener, String mechanism, String password) {
    return KafkaTestSettings.from(base(listener)
        .put("securityProtocol", "SASL_SSL")
        .put("saslMechanism", mechanism)
        .put("saslJaasConfig", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
            + USER + "\" password=\"" + password + "\";"));
  }

  private static JsonObject base(String listener) {
    return new JsonObject()
        .put("bootstrapServers", broker.bootstrapServers(listener))
        .put("sslTruststoreLocation", tls.caPkcs12().toString())
        .put("sslTruststorePassword", TestCertificates.PASSWORD)
        .put("requestTimeoutMillis", 5_000)
        .put("deliveryTimeoutMillis", 10_000)
        .put("pingTimeoutMillis", 5_000);
  }

  private WireTransport transport(KafkaSettings settings) {
    WireTransport created = new WireTransport(vertx, KafkaWire.create(vertx, settings));
    transports.add(created);
    return created;
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }
}
