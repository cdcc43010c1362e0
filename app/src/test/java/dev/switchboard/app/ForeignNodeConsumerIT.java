package dev.switchboard.app;

import dev.switchboard.transports.rabbitmq.testing.RabbitMqBroker;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A team that is not ours reads our events with its own tools: a Node.js consumer on amqplib
 * ({@code src/test/node/foreign-consumer}, installed from the npm registry with its lockfile) binds a
 * queue of its own to {@code switchboard.events} and receives an order's events as we publish them.
 * Each is a CloudEvent whose {@code dataversion} and {@code dataschema} resolve in the catalog the
 * node serves: the schema under that version has that {@code $id}.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ForeignNodeConsumerIT {

  private static final Path CLIENT = Path.of("src", "test", "node", "foreign-consumer");
  private static final long PATIENCE_SECONDS = 60;

  private final Vertx vertx = Vertx.vertx();
  private RabbitMqBroker broker;
  private TestNode node;
  private Process consumer;

  @AfterEach
  void stopEverything() {
    if (consumer != null) {
      consumer.destroy();
    }
    if (node != null) {
      node.stop();
    }
    if (broker != null) {
      broker.close();
    }
    TestNode.await(vertx.close(), "Vert.x to close");
  }

  @Test
  void an_amqplib_consumer_reads_an_orders_events_and_resolves_their_schemas_in_the_catalog(@TempDir Path dir)
      throws Exception {
    broker = RabbitMqBroker.create();
    node = TestNode.start(vertx, TestNode.config(dir, new JsonObject().put("transport", new JsonObject()
        .put("type", "rabbitmq").put("rabbitmq", new JsonObject().put("uri", broker.uri())))));
    Path client = installed(dir.resolve("foreign-consumer"));
    consumer = new ProcessBuilder("node", "consume.js", broker.uri()).directory(client.toFile())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BlockingQueue<JsonObject> lines = linesOf(consumer);
    assertThat(lines.poll(PATIENCE_SECONDS, TimeUnit.SECONDS)).as("the consumer says it is ready")
        .isEqualTo(new JsonObject().put("ready", true));

    String orderId = node.place(TestNode.order("foreign-1",
        new JsonObject().put("productId", "sku-1").put("quantity", 1)));
    List<JsonObject> ofTheOrder = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(PATIENCE_SECONDS);
    while (ofTheOrder.stream().noneMatch(line -> line.getJsonObject("body").getString("type").equals("OrderConfirmed"))) {
      JsonObject line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      assertThat(line).as("the consumer receives the order's events up to OrderConfirmed; it had " + ofTheOrder)
          .isNotNull();
      if (orderId.equals(line.getJsonObject("body").getString("subject"))) {
        ofTheOrder.add(line);
      }
    }

    assertThat(ofTheOrder).extracting(line -> line.getJsonObject("body").getString("type"))
        .containsExactly("OrderPlaced", "StockReserved", "PaymentAuthorized", "OrderConfirmed");
    for (JsonObject line : ofTheOrder) {
      JsonObject event = line.getJsonObject("body");
      String type = event.getString("type");
      assertThat(event.getString("specversion")).isEqualTo("1.0");
      assertThat(line.getString("messageId")).as("the message id is the event id").isEqualTo(event.getString("id"));
      assertThat(line.getString("routingKey")).isEqualTo(event.getString("source").substring(1) + "." + type);
      JsonObject entry = node.get("/catalog/" + type).bodyAsJsonObject();
      String version = String.valueOf(event.getInteger("dataversion"));
      assertThat(entry.getJsonArray("versions").getList()).as(type + "'s versions in the catalog")
          .contains(event.getInteger("dataversion"));
      assertThat(entry.getJsonObject("schemas").getJsonObject(version).getString("$id"))
          .as("the dataschema of %s resolves in the catalog under its dataversion", type)
          .isEqualTo(event.getString("dataschema"));
    }
  }

  /** A copy of the client with its dependencies installed from its lockfile ({@code npm ci}). */
  private static Path installed(Path target) throws IOException, InterruptedException {
    Files.createDirectories(target);
    for (String file : List.of("package.json", "package-lock.json", "consume.js")) {
      Files.copy(CLIENT.resolve(file), target.resolve(file));
    }
    Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(target.toFile())
        .redirectErrorStream(true).redirectOutput(target.resolve("npm.log").toFile()).start();
    if (!npm.waitFor(180, TimeUnit.SECONDS) || npm.exitValue() != 0) {
      npm.destroyForcibly();
      throw new AssertionError("npm ci of the foreign consumer failed:\n"
          + Files.readString(target.resolve("npm.log")));
    }
    return target;
  }

  /** The process's standard output, a JSON object per line, as it comes. */
  private static BlockingQueue<JsonObject> linesOf(Process process) {
    BlockingQueue<JsonObject> lines = new LinkedBlockingQueue<>();
    Thread reader = new Thread(() -> {
      try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          lines.add(new JsonObject(line));
        }
      } catch (IOException ended) {
        // the process ended: nothing more comes
      }
    }, "foreign-consumer-output");
    reader.setDaemon(true);
    reader.start();
    return lines;
  }
}
