package dev.switchboard.transports.sqs.testing;

import dev.switchboard.runtime.testing.FreePorts;
import io.vertx.core.json.JsonObject;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.http.scaladsl.Http;
import org.elasticmq.NodeAddress;
import org.elasticmq.StrictSQSLimits$;
import org.elasticmq.actor.QueueManagerActor;
import org.elasticmq.util.NowProvider;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import scala.Option;
import scala.concurrent.Await;
import scala.concurrent.duration.FiniteDuration;
import software.amazon.awssdk.services.sqs.SqsClient;

import java.io.IOException;
import java.net.URI;
import java.util.concurrent.TimeUnit;

/**
 * ElasticMQ, an SQS-compatible server, in the tests' JVM on a free port of its own, for the SQS wire's
 * tests and the node's TCK. Its queues live in memory, in a queue manager of ours that outlives the
 * HTTP server, so that an outage can be had two ways: {@link #down()} and {@link #up()} stop and start
 * the server and keep every queue and message (SQS out of reach, as a node sees an AWS outage: SQS
 * itself keeps what it took), while {@link #forgetEverything()} loses the queues too, as a restart of
 * ElasticMQ without persistence does (the wire must make its queues again).
 */
public final class ElasticMq implements AutoCloseable {

  public static final String REGION = "eu-west-1";
  /** ElasticMQ checks no signature; the wire signs with static keys all the same. */
  public static final String ACCESS_KEY_ID = "test-key";
  public static final String SECRET_ACCESS_KEY = "test-secret";

  private final int port;
  private final ActorSystem actors = ActorSystem.create("elasticmq");
  private ActorRef queueManager = newQueueManager();
  private Http.ServerBinding server;

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

  /** Stops the server and drops every queue and message: the next {@link #up()} starts empty. */
  public synchronized void forgetEverything() {
    down();
    actors.stop(queueManager);
    queueManager = newQueueManager();
  }

  /**
   * Stops the server at once (the queues stay), cutting its connections and what they were asking,
   * as an outage does; returns once its port is closed. ElasticMQ's own stop would wait up to a
   * minute for the clients' connections to go quiet, and a node's keep them busy.
   */
  public synchronized void down() {
    if (server != null) {
      try {
        Await.result(server.terminate(FiniteDuration.apply(100, TimeUnit.MILLISECONDS)),
            FiniteDuration.apply(30, TimeUnit.SECONDS));
      } catch (Exception e) {
        throw new IllegalStateException("ElasticMQ on port " + port + " did not stop", e);
      }
      server = null;
    }
  }

  /** Starts the server (again) on the same port; returns once it answers. */
  public synchronized void up() {
    if (server == null) {
      server = SQSRestServerBuilder.withActorSystem(actors).withQueueManagerActor(queueManager)
          .withInterface("127.0.0.1").withPort(port)
          .withServerAddress(new NodeAddress("http", "127.0.0.1", port, ""))
          .start().waitUntilStarted();
    }
  }

  /** An outage that loses nothing: down, then up again. */
  public void restart() {
    down();
    up();
  }

  @Override
  public void close() {
    down();
    actors.terminate();
  }

  private ActorRef newQueueManager() {
    return actors.actorOf(Props.create(QueueManagerActor.class, new NowProvider(), StrictSQSLimits$.MODULE$,
        Option.empty()));
  }

  private static int freePort() {
    try {
      return FreePorts.pick();
    } catch (IOException e) {
      throw new IllegalStateException("no free port for ElasticMQ", e);
    }
  }
}
