package dev.switchboard.transports.rabbitmq.testing;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventType;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

/**
 * The local RabbitMQ server (a system service; {@code SWITCHBOARD_TEST_RABBITMQ}, default
 * {@value #DEFAULT_SERVER}) as a test fixture: each instance is a fresh virtual host of its own,
 * {@code sb-<random>}, deleted by {@link #close()}, so that the transport's fixed exchange and queue
 * names never meet another test's. Open one per test class.
 *
 * <p>It also looks at the broker as a foreign client would (a plain AMQP client, one short connection
 * per call): reads queues, binds a probe queue, publishes raw messages, deletes what a careless
 * operator might; and it takes the broker away and brings it back ({@link #whileStopped}), which
 * stops the whole shared server for a few seconds (where tests run side by side, as the app's
 * integration tests do, the class that calls it says so, {@code @StopsSharedServices}, and runs alone).
 *
 * <p>Blocking: call it from a test's own thread, never from an event loop.
 */
public final class RabbitMqBroker implements AutoCloseable {

  /** The server, as a URI without a virtual host. */
  public static final String DEFAULT_SERVER = "amqp://guest:guest@127.0.0.1:5672";
  public static final String EXCHANGE = "switchboard.events";

  private static final long READY_TIMEOUT_MILLIS = 60_000;
  private static final Object STOPPING = new Object();
  /** Whether this JVM stopped the broker and has not started it yet: a shutdown hook starts it then. */
  private static volatile boolean stoppedByUs;

  private final String vhost;

  /** A message as a foreign client reads it. */
  public record Message(String routingKey, AMQP.BasicProperties properties, String body) {
    /** A header's value as text, or null. */
    public String header(String name) {
      Map<String, Object> headers = properties.getHeaders();
      Object value = headers == null ? null : headers.get(name);
      return value == null ? null : value.toString(); // the client gives strings as LongString
    }
  }

  /** How many messages a queue holds, waiting and delivered but not yet acknowledged. */
  public record Depth(long ready, long unacknowledged) {
    public long total() {
      return ready + unacknowledged;
    }
  }

  private RabbitMqBroker(String vhost) {
    this.vhost = vhost;
  }

  /** A fresh virtual host on the local server, where {@code guest} may do anything. */
  public static RabbitMqBroker create() {
    String vhost = "sb-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12).toLowerCase(Locale.ROOT);
    Rabbitmqctl.run("add_vhost", vhost);
    Rabbitmqctl.run("set_permissions", "-p", vhost, user(), ".*", ".*", ".*");
    RabbitMqBroker broker = new RabbitMqBroker(vhost);
    broker.awaitReady();
    return broker;
  }

  public String vhost() {
    return vhost;
  }

  /** The URI of the virtual host, for {@code transport.rabbitmq.uri}. */
  public String uri() {
    return server() + "/" + URLEncoder.encode(vhost, StandardCharsets.UTF_8);
  }

  // ------------------------------------------------------------------ the broker going away

  /**
   * Stops the broker ({@code rabbitmqctl stop_app}: every connection is closed, nothing answers on
   * the port), runs {@code whileDown}, and starts it again, waiting until the virtual host takes
   * connections, whatever {@code whileDown} did. A JVM that dies in between starts it on its way out.
   */
  public void whileStopped(Runnable whileDown) {
    synchronized (STOPPING) {
      try {
        stop();
        whileDown.run();
      } finally {
        start();
      }
    }
  }

  /**
   * Stops the broker ({@code rabbitmqctl stop_app}) until {@link #start()}, for a test that takes it
   * away in one step and brings it back in another: that test calls {@link #start()} after each test
   * too, whatever happened. A JVM that dies in between starts it on its way out.
   */
  public void stop() {
    synchronized (STOPPING) {
      registerRestartOnExit();
      stoppedByUs = true;
      Rabbitmqctl.run("stop_app");
    }
  }

  /**
   * Starts the broker again if this JVM stopped it, and waits until the virtual host takes
   * connections; does nothing otherwise.
   */
  public void start() {
    synchronized (STOPPING) {
      if (stoppedByUs) {
        startApp();
      }
    }
  }

  /** Stops and starts the broker. */
  public void restart() {
    whileStopped(() -> { });
  }

  /** Closes every connection to this virtual host at once, as a network failure would. */
  public void closeConnections() {
    Rabbitmqctl.run("close_all_connections", "-p", vhost, "closed by a test");
  }

  // ------------------------------------------------------------------ looking at queues

  /** Messages ready and unacknowledged in every queue of the virtual host. */
  public Map<String, Depth> depths() {
    Map<String, Depth> depths = new LinkedHashMap<>();
    String listing = Rabbitmqctl.run("list_queues", "-p", vhost, "--no-table-headers", "--quiet",
        "name", "messages_ready", "messages_unacknowledged");
    for (String line : listing.split("\n")) {
      String[] columns = line.strip().split("\\s+");
      if (columns.length == 3) {
        depths.put(columns[0], new Depth(Long.parseLong(columns[1]), Long.parseLong(columns[2])));
      }
    }
    return depths;
  }

  /** The depth of one queue; zero for a queue that does not exist. */
  public Depth depth(String queue) {
    return depths().getOrDefault(queue, new Depth(0, 0));
  }

  /** Messages ready in a queue (not counting the ones delivered and not yet acknowledged). */
  public long ready(String queue) {
    return withChannel(channel -> (long) channel.queueDeclarePassive(queue).getMessageCount());
  }

  public boolean queueExists(String queue) {
    try {
      ready(queue);
      return true;
    } catch (IllegalStateException notFound) {
      return false;
    }
  }

  /** The messages ready in a queue, oldest first, left in it. */
  public List<Message> peek(String queue) {
    return read(queue, false);
  }

  /** The messages ready in a queue, oldest first, taken out of it. */
  public List<Message> drain(String queue) {
    return read(queue, true);
  }

  /**
   * Declares a plain durable queue bound to {@value #EXCHANGE} with {@code bindingKey}, as a foreign
   * consumer would (the exchange is declared too, with the transport's flags, if it does not exist).
   */
  public void bindProbe(String queue, String bindingKey) {
    withChannel(channel -> {
      channel.exchangeDeclare(EXCHANGE, "topic", true, false, null);
      channel.queueDeclare(queue, true, false, false, null);
      channel.queueBind(queue, EXCHANGE, bindingKey);
      return null;
    });
  }

  /** Publishes a raw message to {@value #EXCHANGE}, persistent, and waits for the broker's confirm. */
  public void publish(String routingKey, String body) {
    publish(routingKey, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Publishes raw bytes to {@value #EXCHANGE}, persistent, and waits for the broker's confirm. */
  public void publish(String routingKey, byte[] body) {
    withChannel(channel -> {
      channel.confirmSelect();
      AMQP.BasicProperties properties = new AMQP.BasicProperties.Builder()
          .contentType("application/json").deliveryMode(2).build();
      channel.basicPublish(EXCHANGE, routingKey, properties, body);
      channel.waitForConfirmsOrDie(10_000);
      return null;
    });
  }

  /**
   * Publishes a CloudEvent as a foreign producer following DESIGN §5 would: to {@value #EXCHANGE},
   * routing key {@code <module>.<type>} (the module of the catalog, else the one its source names).
   */
  public void publishEvent(EventEnvelope event) {
    String module = EventCatalog.byName(event.type()).map(EventType::module)
        .orElse(event.source().substring(event.source().lastIndexOf('/') + 1));
    publish(module + "." + event.type(), event.toJson().encode());
  }

  /** Whether a consumer's queue {@code switchboard.<consumer>} is empty, nothing unacknowledged either. */
  public boolean isConsumed(String consumer) {
    return depth("switchboard." + consumer).total() == 0;
  }

  public void deleteQueue(String queue) {
    withChannel(channel -> channel.queueDelete(queue));
  }

  // ------------------------------------------------------------------ plumbing

  /** Deletes the virtual host and everything in it. */
  @Override
  public void close() {
    Rabbitmqctl.run("delete_vhost", vhost);
  }

  private List<Message> read(String queue, boolean take) {
    return withChannel(channel -> {
      List<Message> messages = new ArrayList<>();
      GetResponse response;
      while ((response = channel.basicGet(queue, false)) != null) {
        messages.add(new Message(response.getEnvelope().getRoutingKey(), response.getProps(),
            new String(response.getBody(), StandardCharsets.UTF_8)));
        if (take) {
          channel.basicAck(response.getEnvelope().getDeliveryTag(), false);
        }
      }
      // closing the channel puts back whatever was not acknowledged, in its place
      return messages;
    });
  }

  private interface ChannelWork<T> {
    T apply(Channel channel) throws IOException, InterruptedException, TimeoutException;
  }

  private <T> T withChannel(ChannelWork<T> work) {
    try (Connection connection = factory().newConnection("switchboard-test-probe");
         Channel channel = connection.createChannel()) {
      return work.apply(channel);
    } catch (IOException | TimeoutException e) {
      throw new IllegalStateException("RabbitMQ (virtual host " + vhost + "): " + describe(e), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  private ConnectionFactory factory() {
    ConnectionFactory factory = new ConnectionFactory();
    try {
      factory.setUri(uri());
    } catch (Exception e) {
      throw new IllegalStateException("the test server URI is not valid: " + e.getMessage(), e);
    }
    factory.setConnectionTimeout(5_000);
    factory.setAutomaticRecoveryEnabled(false);
    return factory;
  }

  private void startApp() {
    Rabbitmqctl.run("start_app");
    Rabbitmqctl.run("await_startup");
    stoppedByUs = false;
    awaitReady();
  }

  /** Waits until the virtual host takes connections (after starting, the broker needs a moment). */
  private void awaitReady() {
    long deadline = System.nanoTime() + READY_TIMEOUT_MILLIS * 1_000_000;
    while (true) {
      try {
        factory().newConnection("switchboard-test-probe").close();
        return;
      } catch (IOException | TimeoutException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("RabbitMQ virtual host " + vhost + " takes no connection after "
              + READY_TIMEOUT_MILLIS + " ms: " + describe(notYet), notYet);
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted", e);
        }
      }
    }
  }

  private static volatile boolean hookRegistered;

  private static synchronized void registerRestartOnExit() {
    if (!hookRegistered) {
      hookRegistered = true;
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        if (stoppedByUs) {
          Rabbitmqctl.run("start_app");
        }
      }, "rabbitmq-restart-on-exit"));
    }
  }

  private static String server() {
    String configured = System.getenv("SWITCHBOARD_TEST_RABBITMQ");
    String server = configured == null || configured.isBlank() ? DEFAULT_SERVER : configured.strip();
    return server.endsWith("/") ? server.substring(0, server.length() - 1) : server;
  }

  private static String user() {
    String server = server();
    int scheme = server.indexOf("://");
    int at = server.indexOf('@');
    if (at < 0) {
      return "guest";
    }
    String userInfo = server.substring(scheme + 3, at);
    int colon = userInfo.indexOf(':');
    return colon < 0 ? userInfo : userInfo.substring(0, colon);
  }

  private static String describe(Exception e) {
    Throwable cause = e;
    while (cause.getMessage() == null && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause.getClass().getSimpleName() + ": " + cause.getMessage();
  }
}
