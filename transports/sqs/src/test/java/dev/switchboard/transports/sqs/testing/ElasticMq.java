package dev.switchboard.transports.sqs.testing;

import io.vertx.core.json.JsonObject;
import org.elasticmq.NodeAddress;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;

/**
 * ElasticMQ, an SQS-compatible server, in the tests' JVM on a free port of its own, for the SQS wire's
 * tests and the node's TCK. It keeps its queues in memory: a {@link #restart()} (an outage) loses
 * them and their messages, and the wire must make its queues again (the wire does; persisting them
 * would test less).
 */
public final class ElasticMq implements AutoCloseable {

  public static final String REGION = "eu-west-1";
  /** ElasticMQ checks no signature; the wire signs with static keys all the same. */
  public static final String ACCESS_KEY_ID = "test-key";
  public static final String SECRET_ACCESS_KEY = "test-secret";

  private final int port;
  private SQSRestServer server;

  private ElasticMq(int port) {
    this.port = port;
  }

  /** Starts a server on a free port. */
  public static ElasticMq start() {
    ElasticMq elasticMq = new ElasticMq(freePort());
    elasticMq.up();
    return elasticMq;
  }

  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** {@code transport.sqs} settings for this server, with the given overrides. */
  public JsonObject settings(JsonObject overrides) {
    return new JsonObject().put("endpoint", endpoint()).put("region", REGION)
        .put("accessKeyId", ACCESS_KEY_ID).put("secretAccessKey", SECRET_ACCESS_KEY).mergeIn(overrides);
  }

  /** A plain synchronous SDK client on this server, as a foreign application would have; close it after use. */
  public SqsClient client() {
    return SqsClient.builder().endpointOverride(URI.create(endpoint())).region(Region.of(REGION))
        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY_ID,
            SECRET_ACCESS_KEY)))
        .build();
  }

  /** Stops the server; returns once its port is closed. */
  public synchronized void down() {
    if (server != null) {
      server.stopAndWait();
      server = null;
    }
  }

  /** Starts the server again on the same port, with no queues; returns once it answers. */
  public synchronized void up() {
    if (server == null) {
      server = SQSRestServerBuilder.withInterface("127.0.0.1").withPort(port)
          .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
          .start();
      server.waitUntilStarted();
    }
  }

  /** An outage: down, then up again, empty. */
  public void restart() {
    down();
    up();
  }

  @Override
  public void close() {
    down();
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for ElasticMQ", e);
    }
  }
}
