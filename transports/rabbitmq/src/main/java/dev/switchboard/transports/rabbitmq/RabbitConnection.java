package dev.switchboard.transports.rabbitmq;

import dev.switchboard.runtime.logging.LogValues;
import dev.switchboard.runtime.transport.wire.Crossing;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.rabbitmq.RabbitMQClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * One connection to the broker, kept open for as long as the transport lives: when it is lost (the
 * broker went away, or closed our channel), it is opened again every {@code reconnectIntervalMillis},
 * without limit, and everything declared on it is declared again, in the order it was first
 * declared: the exchange, the queues and their bindings, the QoS and the consumers (the broker may
 * have lost any of them, and a new channel has none of its predecessor's QoS or consumers).
 *
 * <p>Each opening is a {@link Link} with a fresh client: nothing of a lost connection (its delivery
 * tags, its channel) ever leaks into the next. Losses are noticed from the failures of calls and by a
 * check of the link every {@code reconnectIntervalMillis}.
 *
 * <p>All state is confined to the connection's own context; every call on the client is made from it
 * (see {@link Contexts#fresh}). Methods may be called from any context: they answer on the caller's.
 */
final class RabbitConnection {

  private static final Logger LOG = LoggerFactory.getLogger(RabbitConnection.class);

  /** What to declare on every opening of the connection, before it counts as open. */
  @FunctionalInterface
  interface OnOpen {
    Future<Void> declare(Link link);
  }

  private static final class Declaration {
    private final OnOpen onOpen;
    private final Promise<Void> firstDeclared = Promise.promise();
    private long declaredOn;

    Declaration(OnOpen onOpen) {
      this.onOpen = onOpen;
    }
  }

  private final Vertx vertx;
  private final Context context;
  private final String name;
  private final RabbitMqSettings settings;
  private final List<Declaration> declarations = new ArrayList<>();
  private final PortProbe probe;
  /** The connection being declared on, or open; null while (re)connecting or closed. */
  private volatile Link link;
  /** The link has everything declared: calls may use it. */
  private volatile boolean open;
  private long generation;
  private boolean connecting;
  private boolean closed;
  private long watchTimer = -1;
  private int failedAttempts;
  /** Why the last attempt to connect failed (e.g. a certificate refused), for callers told it is not connected. */
  private volatile String lastFailure;
  private long outageStartedNanos = -1;
  /** Calls whose answer nobody waits for ({@link #sendOn}), crossing to the context. */
  private final Crossing<Runnable> toSend;
  /** The last of those calls made: the client makes a context's calls in order, so it answers after all the others. */
  private Future<?> lastSent = Future.succeededFuture();

  /** @param role what the connection is for, in logs and in the broker's connection name */
  RabbitConnection(Vertx vertx, String role, RabbitMqSettings settings) {
    this.vertx = vertx;
    this.context = Contexts.fresh(vertx);
    this.toSend = new Crossing<>(context, Runnable::run);
    this.name = "switchboard-" + role;
    this.settings = settings;
    this.probe = new PortProbe(vertx, settings);
  }

  /** Starts connecting, in the background: a broker that is down is tried again and again. */
  void start() {
    context.runOnContext(v -> {
      watchTimer = vertx.setPeriodic(settings.reconnectIntervalMillis(), id -> watch());
      connect();
    });
  }

  /** Whether messages delivered on {@code candidate} can still be acknowledged: it is the connection's current link. */
  boolean isCurrent(Link candidate) {
    return candidate == link;
  }

  /**
   * Declares something on this connection now (if open) and on every later opening, until detached.
   * A declaration that fails makes the link count as lost (a refused declaration closes the channel),
   * so everything is declared again on the next.
   *
   * @return the outcome of its first declaration
   */
  Future<Void> attach(OnOpen onOpen) {
    return Contexts.on(vertx, context, () -> {
      if (closed) {
        return Future.failedFuture(unavailable("is closed"));
      }
      Declaration declaration = new Declaration(onOpen);
      declarations.add(declaration);
      Link current = link;
      if (current != null && open) {
        declaration.declaredOn = current.generation();
        declare(declaration, current).onFailure(failure -> lost(current, "a declaration failed: " + failure));
      }
      // otherwise the opening in progress, or the next, declares it
      return declaration.firstDeclared.future();
    });
  }

  /** Stops declaring it on later openings. */
  Future<Void> detach(OnOpen onOpen) {
    return Contexts.on(vertx, context, () -> {
      declarations.removeIf(declaration -> {
        if (declaration.onOpen != onOpen) {
          return false;
        }
        declaration.firstDeclared.tryFail(unavailable("was left before its first declaration"));
        return true;
      });
      return Future.succeededFuture();
    });
  }

  /** Runs a call on the open connection; fails at once while it is not open. */
  <T> Future<T> call(Function<RabbitMQClient, Future<T>> operation, long timeoutMillis) {
    return Contexts.on(vertx, context, () -> {
      Link current = link;
      if (current == null || !open) {
        String why = lastFailure;
        return Future.failedFuture(unavailable("is not connected (" + (why == null ? "" : "last attempt: " + why + "; ")
            + "reconnecting every " + settings.reconnectIntervalMillis() + " ms)"));
      }
      return callNow(current, operation, timeoutMillis);
    });
  }

  /**
   * Runs a call on {@code expected} only, for what makes sense on no other link (an acknowledgement
   * of a delivery tag); fails if that link is gone.
   */
  <T> Future<T> callOn(Link expected, Function<RabbitMQClient, Future<T>> operation) {
    return Contexts.on(vertx, context, () -> {
      if (expected != link) {
        return Future.failedFuture(unavailable("was lost since (" + expected + " is gone)"));
      }
      return callNow(expected, operation, settings.requestTimeoutMillis());
    });
  }

  /**
   * Makes a call on {@code expected} only, and does not wait for its answer: for a call whose loss
   * is harmless (an acknowledgement: the broker delivers the message again). Calls asked for from
   * other contexts cross to the connection's in one task per burst rather than two hops each, and a
   * failure is logged ({@code what} says what was not done). Closing waits for the calls made.
   */
  void sendOn(Link expected, Function<RabbitMQClient, Future<Void>> operation, String what) {
    toSend.handOver(() -> {
      if (expected != link) {
        return; // its link is gone, and what it was about with it
      }
      lastSent = callNow(expected, operation, settings.requestTimeoutMillis())
          .onFailure(failure -> LOG.debug("{} not done: {}", what, failure.toString()));
    });
  }

  /** Drops the link and reconnects, for a loss noticed elsewhere (the broker cancelled a consumer). */
  void reset(Link expected, String why) {
    context.runOnContext(v -> lost(expected, why));
  }

  /** A round trip to the broker (declaring the exchange again, which changes nothing). */
  Future<Void> ping() {
    return call(client -> Declarations.exchange(client), settings.pingTimeoutMillis());
  }

  /** Fails at once unless the connection is open and its channel too; no round trip. */
  Future<Void> checkOpen() {
    return call(client -> Future.<Void>succeededFuture(), settings.pingTimeoutMillis());
  }

  /** Closes the connection for good. */
  Future<Void> close() {
    return Contexts.on(vertx, context, () -> {
      if (closed) {
        return Future.succeededFuture();
      }
      closed = true;
      open = false;
      if (watchTimer >= 0) {
        vertx.cancelTimer(watchTimer);
      }
      declarations.forEach(declaration -> declaration.firstDeclared.tryFail(unavailable("was closed")));
      declarations.clear();
      probe.close();
      toSend.takeWaiting(); // asked for before the close: made on the link before it closes
      Link last = link;
      link = null;
      if (last == null) {
        return Future.succeededFuture();
      }
      LOG.info("{} to {}: closing", name, settings.broker());
      return lastSent.transform(sent -> stop(last.client()));
    });
  }

  // ------------------------------------------------------------------ opening and losing links

  private void connect() {
    if (closed || connecting || link != null) {
      return;
    }
    connecting = true;
    RabbitMQClient client = RabbitMQClient.create(vertx, ClientOptions.of(settings, name));
    // the client bounds the TCP connect and the handshake; this bounds whatever else it does
    probe.reachable()
        .compose(v -> client.start())
        .timeout(2L * settings.connectTimeoutMillis() + settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS)
        .onComplete(started -> {
          connecting = false;
          if (closed) {
            stop(client);
          } else if (started.failed()) {
            stop(client);
            attemptFailed(started.cause());
            connectLater();
          } else {
            Link candidate = new Link(++generation, client);
            link = candidate;
            declareAll(candidate).onComplete(declared -> {
              if (declared.succeeded()) {
                opened(candidate);
              } else {
                lost(candidate, "declaring on it failed: " + declared.cause());
              }
            });
          }
        });
  }

  /** Declares, one after the other, whatever was not yet declared on this link (declarations attached meanwhile included). */
  private Future<Void> declareAll(Link candidate) {
    if (candidate != link) {
      return Future.failedFuture(unavailable("was lost while declaring"));
    }
    Optional<Declaration> next = declarations.stream()
        .filter(declaration -> declaration.declaredOn < candidate.generation()).findFirst();
    if (next.isEmpty()) {
      return Future.succeededFuture();
    }
    next.get().declaredOn = candidate.generation();
    return declare(next.get(), candidate).compose(v -> declareAll(candidate));
  }

  private Future<Void> declare(Declaration declaration, Link on) {
    Future<Void> declared;
    try {
      declared = declaration.onOpen.declare(on);
    } catch (RuntimeException thrown) {
      declared = Future.failedFuture(thrown);
    }
    return declared.timeout(settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS).onComplete(done -> {
      if (!declaration.firstDeclared.future().isComplete()) {
        declaration.firstDeclared.handle(done);
      }
    });
  }

  private void opened(Link candidate) {
    if (candidate != link || closed) {
      return;
    }
    open = true;
    if (outageStartedNanos >= 0) {
      LOG.info("{} to {}: open again ({}), after {} ms and {} failed attempt(s)", name, settings.broker(), candidate,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStartedNanos), failedAttempts);
    } else {
      LOG.info("{} to {}: open ({})", name, settings.broker(), candidate);
    }
    outageStartedNanos = -1;
    failedAttempts = 0;
    lastFailure = null;
  }

  private void lost(Link lostLink, String why) {
    if (lostLink != link) {
      return; // already dealt with
    }
    link = null;
    open = false;
    if (outageStartedNanos < 0) {
      outageStartedNanos = System.nanoTime();
    }
    LOG.warn("{} to {}: {} lost ({}); reconnecting every {} ms", name, settings.broker(), lostLink, why,
        settings.reconnectIntervalMillis());
    stop(lostLink.client());
    connectLater();
  }

  private void attemptFailed(Throwable cause) {
    failedAttempts++;
    lastFailure = describe(cause);
    if (outageStartedNanos < 0) {
      outageStartedNanos = System.nanoTime();
    }
    // the first failure of an outage is news; the ones after it, every interval, are not
    if (failedAttempts == 1) {
      LOG.warn("{} to {}: cannot connect ({}); trying again every {} ms", name, settings.broker(), describe(cause),
          settings.reconnectIntervalMillis());
    } else {
      LOG.debug("{} to {}: attempt {} failed: {}", name, settings.broker(), failedAttempts, describe(cause));
    }
  }

  private void connectLater() {
    if (!closed) {
      vertx.setTimer(settings.reconnectIntervalMillis(), id -> connect());
    }
  }

  /** The periodic check: a link whose connection or channel closed is lost. */
  private void watch() {
    Link current = link;
    if (current != null && open && !current.healthy()) {
      lost(current, "its connection or channel closed");
    }
  }

  private <T> Future<T> callNow(Link current, Function<RabbitMQClient, Future<T>> operation, long timeoutMillis) {
    if (!current.healthy()) {
      // never let the client quietly open a channel without our QoS and consumers: reconnect instead
      lost(current, "its connection or channel closed");
      return Future.failedFuture(unavailable("was lost"));
    }
    Future<T> called;
    try {
      called = operation.apply(current.client());
    } catch (RuntimeException thrown) {
      called = Future.failedFuture(thrown);
    }
    return called.timeout(timeoutMillis, TimeUnit.MILLISECONDS).onFailure(failure -> {
      if (current == link && !current.healthy()) {
        lost(current, "a call failed: " + describe(failure));
      }
    });
  }

  /**
   * Closes a client from a context of its own: closing a connection the broker no longer answers
   * blocks until the heartbeat gives up, and must not hold up the calls of the next link.
   */
  private Future<Void> stop(RabbitMQClient client) {
    return Contexts.on(vertx, Contexts.fresh(vertx), client::stop)
        .timeout(settings.requestTimeoutMillis(), TimeUnit.MILLISECONDS)
        .recover(failure -> {
          LOG.debug("{}: closing a client failed (it was probably closed already): {}", name, failure.toString());
          return Future.succeededFuture();
        });
  }

  private BrokerUnavailable unavailable(String what) {
    return new BrokerUnavailable("the " + name + " connection to RabbitMQ at " + settings.broker() + " " + what);
  }

  private static String describe(Throwable failure) {
    Throwable cause = failure;
    while (cause.getCause() != null && cause.getMessage() == null) {
      cause = cause.getCause();
    }
    // a driver's message may quote the URI: never with its password
    return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + LogValues.redact(cause.getMessage()));
  }
}
