package dev.switchboard.app.cluster;

import dev.switchboard.app.config.Configuration;
import dev.switchboard.runtime.testing.FreePorts;
import dev.switchboard.runtime.testing.TestCertificates;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Clustered nodes' event buses over TLS with client certificates: two nodes with certificates of
 * the cluster's authority talk; a third that joins the Hazelcast cluster (it knows the name and a
 * member) but holds a certificate of another authority can neither send to them nor be sent to.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ClusterTlsIT {

  private static final String ECHO = "cluster-tls.echo";
  private static final String ROGUE_INBOX = "cluster-tls.rogue";
  /** The first send opens the TLS connection (and may build the TLS context): on 2 busy cores, seconds. */
  private static final DeliveryOptions FIRST = new DeliveryOptions().setSendTimeout(15_000);
  private static final DeliveryOptions REFUSED = new DeliveryOptions().setSendTimeout(5_000);

  @TempDir
  static Path certificates;
  static TestCertificates tls;
  static Vertx nodeA;
  static Vertx nodeB;
  static Vertx rogue;

  /** Hazelcast's waits before a member joins (5 s, up to 20 s by default), short for three local members. */
  private static final List<String> JOIN_WAITS = List.of("hazelcast.wait.seconds.before.join",
      "hazelcast.max.wait.seconds.before.join");

  @BeforeAll
  static void startThreeNodes() throws Exception {
    JOIN_WAITS.forEach(property -> System.setProperty(property, "1"));
    tls = TestCertificates.in(certificates);
    int portA = freePort();
    int portB = freePort();
    int portRogue = freePort();
    JsonArray members = new JsonArray().add("127.0.0.1:" + portA).add("127.0.0.1:" + portB)
        .add("127.0.0.1:" + portRogue);
    TestCertificates.Issued a = tls.issue("node-a");
    TestCertificates.Issued b = tls.issue("node-b");
    TestCertificates.Issued stranger = tls.issueByUnknownCa("rogue");
    List<Future<Vertx>> starting = List.of(
        Clustering.build(config(portA, members, a, tls.caPem()), Vertx.builder(), new VertxOptions()),
        Clustering.build(config(portB, members, b, tls.caPem()), Vertx.builder(), new VertxOptions()),
        // the rogue trusts the cluster's authority (its certificate is no secret): the others must refuse its own
        Clustering.build(config(portRogue, members, stranger, tls.caPem()), Vertx.builder(), new VertxOptions()));
    Future.all(starting).toCompletionStage().toCompletableFuture().get(90, TimeUnit.SECONDS);
    nodeA = starting.get(0).result();
    nodeB = starting.get(1).result();
    rogue = starting.get(2).result();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (Clustering.members(nodeA) < 3 && System.nanoTime() < deadline) {
      Thread.sleep(100);
    }
    assertThat(Clustering.members(nodeA)).as("the rogue joined Hazelcast: only TLS keeps it off the event bus")
        .isEqualTo(3);
  }

  @AfterAll
  static void stopNodes() throws Exception {
    JOIN_WAITS.forEach(System::clearProperty);
    for (Vertx node : new Vertx[] {nodeA, nodeB, rogue}) {
      if (node != null) {
        node.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void nodes_with_the_clusters_certificates_talk_and_a_node_with_a_stranger_certificate_cannot() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    MessageConsumer<String> echo = nodeB.eventBus().<String>consumer(ECHO, message -> {
      heard.add(message.body());
      message.reply("pong " + message.body());
    });
    await(echo.completion());
    List<String> rogueHeard = new CopyOnWriteArrayList<>();
    MessageConsumer<String> rogueInbox = rogue.eventBus().<String>consumer(ROGUE_INBOX, message -> {
      rogueHeard.add(message.body());
      message.reply("stolen");
    });
    await(rogueInbox.completion());

    String reply = await(nodeA.eventBus().<String>request(ECHO, "ping", FIRST)).body();
    Throwable forged = failure(rogue.eventBus().<String>request(ECHO, "forged order", REFUSED));
    Throwable leaked = failure(nodeA.eventBus().<String>request(ROGUE_INBOX, "a secret", REFUSED));
    Thread.sleep(1_000); // nothing arrives late either

    assertThat(reply).isEqualTo("pong ping");
    assertThat(forged).as("the rogue's send").isNotNull();
    assertThat(leaked).as("a send to the rogue's registration").isNotNull();
    assertThat(heard).containsExactly("ping");
    assertThat(rogueHeard).isEmpty();
  }

  private static JsonObject config(int port, JsonArray members, TestCertificates.Issued certificate, Path trusted) {
    JsonObject config = Configuration.defaults();
    config.getJsonObject("store").put("type", "postgres");
    config.getJsonObject("cluster")
        .put("enabled", true).put("name", "switchboard-tls-it").put("host", "127.0.0.1").put("port", port)
        .put("members", members)
        .getJsonObject("tls").put("enabled", true)
            .put("certPath", certificate.chainPem().toString()).put("keyPath", certificate.keyPem().toString())
            .put("trustStorePath", trusted.toString());
    return config;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
  }

  private static Throwable failure(Future<?> future) throws Exception {
    return future.transform(done -> Future.succeededFuture(done.cause())).toCompletionStage().toCompletableFuture()
        .get(20, TimeUnit.SECONDS);
  }

  private static int freePort() throws IOException {
    return FreePorts.pick();
  }
}
