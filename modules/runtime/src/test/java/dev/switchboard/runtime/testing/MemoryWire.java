package dev.switchboard.runtime.testing;

import dev.switchboard.runtime.consumer.RetryPolicy;
import dev.switchboard.runtime.transport.delivery.Incoming;
import dev.switchboard.runtime.transport.wire.Arrival;
import dev.switchboard.runtime.transport.wire.DeliverySettings;
import dev.switchboard.runtime.transport.wire.Outgoing;
import dev.switchboard.runtime.transport.wire.Route;
import dev.switchboard.runtime.transport.wire.Source;
import dev.switchboard.runtime.transport.wire.Wire;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A broker in memory, for tests of the delivery engine and as the reference the wire test kit runs
 * against: one queue per consumer, fed with the events of the types it opened its source for (as an
 * SNS topic fans out to SQS queues), messages handed out in order, at most the in-flight bound at
 * once (as a broker's prefetch), each held until acknowledged or released. A source that closes keeps
 * what it was handed and did not settle until the wire closes or goes down, as RabbitMQ keeps a
 * cancelled consumer's messages with its channel and SQS until their visibility runs out: the runtime
 * must give them back. It can be taken down and brought back, as a broker outage.
 */
public final class MemoryWire implements Wire {

  private final Vertx vertx;
  private final DeliverySettings delivery;
  private final Map<String, Queue> queues = new LinkedHashMap<>();
  private final Map<String, List<Outgoing>> deadLetters = new LinkedHashMap<>();
  private boolean down;
  private long sequence;

  public MemoryWire(Vertx vertx, DeliverySettings delivery) {
    this.vertx = vertx;
    this.delivery = delivery;
  }

  /** In flight 16, redelivery from 20 ms to 200 ms, drain 1 s. */
  public MemoryWire(Vertx vertx) {
    this(vertx, new DeliverySettings(16, RetryPolicy.withoutEnd(20, 200), 1_000));
  }

  @Override
  public String name() {
    return "memory";
  }

  @Override
  public synchronized Future<Void> send(List<Outgoing> messages) {
    if (down) {
      return Future.failedFuture(new IllegalStateException("the memory broker is down"));
    }
    for (Outgoing message : messages) {
      if (message.route() instanceof Route.Event event) {
        queues.values().stream().filter(queue -> queue.types.contains(event.type()))
            .forEach(queue -> queue.put(message.body(), event.module(), event.type()));
      } else if (message.route() instanceof Route.DeadLetters letters) {
        deadLetters.computeIfAbsent(letters.consumer(), consumer -> new ArrayList<>()).add(message);
      }
    }
    pumpAll();
    return Future.succeededFuture();
  }

  /** Puts a message on a consumer's queue as a foreign client would: any bytes, on a module's channel. */
  public synchronized void sendForeign(String consumer, String module, byte[] body) {
    queues.get(consumer).put(body, module, null);
    pumpAll();
  }

  @Override
  public synchronized Future<Source> open(String consumer, Set<String> types, Handler<Arrival> arrivals) {
    if (down) {
      return Future.failedFuture(new IllegalStateException("the memory broker is down"));
    }
    Queue queue = queues.computeIfAbsent(consumer, name -> new Queue());
    queue.types.addAll(types);
    MemorySource source = new MemorySource(queue, arrivals);
    queue.source = source;
    pumpAll();
    return Future.succeededFuture(source);
  }

  @Override
  public DeliverySettings delivery() {
    return delivery;
  }

  @Override
  public Incoming.Wording wording() {
    return new Incoming.Wording("message", "body");
  }

  @Override
  public synchronized Future<Void> ping() {
    return down ? Future.failedFuture(new IllegalStateException("the memory broker is down")) : Future.succeededFuture();
  }

  /** Messages not yet handed out, per consumer asked about (nothing for one without a queue yet). */
  @Override
  public synchronized Future<Map<String, Long>> lag(Map<String, Set<String>> consumers) {
    if (down) {
      return Future.failedFuture(new IllegalStateException("the memory broker is down"));
    }
    Map<String, Long> lag = new TreeMap<>();
    consumers.keySet().forEach(consumer -> {
      Queue queue = queues.get(consumer);
      lag.put(consumer, queue == null ? 0 : queue.entries.stream().filter(entry -> entry.holder == null).count());
    });
    return Future.succeededFuture(lag);
  }

  /**
   * Takes the broker down, as an outage: every source loses what it holds (handed out again later),
   * and sends, opens, pings fail until {@link #up()}.
   */
  public synchronized void down() {
    down = true;
    queues.values().forEach(queue -> queue.entries.forEach(entry -> entry.holder = null));
  }

  /** Brings the broker back: sources that were open go on receiving. */
  public synchronized void up() {
    down = false;
    pumpAll();
  }

  /** The dead letters copied to a consumer's dead-letter channel, as sent. */
  public synchronized List<Outgoing> deadLettersOf(String consumer) {
    return List.copyOf(deadLetters.getOrDefault(consumer, List.of()));
  }

  /** Whatever closed sources still held is handed out again, as a broker does when a connection closes. */
  @Override
  public synchronized Future<Void> close() {
    queues.values().forEach(queue -> queue.entries.forEach(entry -> entry.holder = null));
    return Future.succeededFuture();
  }

  private void pumpAll() {
    queues.values().forEach(queue -> {
      if (queue.source != null) {
        queue.source.pumpLater();
      }
    });
  }

  private final class Queue {
    final Set<String> types = new HashSet<>();
    final List<Entry> entries = new ArrayList<>();
    MemorySource source;

    void put(byte[] body, String module, String type) {
      entries.add(new Entry(++sequence, body, module, type));
    }
  }

  private static final class Entry {
    final long sequence;
    final byte[] body;
    final String module;
    /** As a broker's headers name it; null for a foreign message. */
    final String type;
    MemorySource holder;

    Entry(long sequence, byte[] body, String module, String type) {
      this.sequence = sequence;
      this.body = body;
      this.module = module;
      this.type = type;
    }
  }

  private final class MemorySource implements Source {
    private final Queue queue;
    private final Handler<Arrival> arrivals;
    private boolean paused;
    private boolean stopped;

    MemorySource(Queue queue, Handler<Arrival> arrivals) {
      this.queue = queue;
      this.arrivals = arrivals;
    }

    /** Hands out, on a turn of its own as a broker's client thread would, what is ready. */
    void pumpLater() {
      vertx.runOnContext(v -> pump());
    }

    private void pump() {
      List<Arrival> out = new ArrayList<>();
      synchronized (MemoryWire.this) {
        if (down || paused || stopped || queue.source != this) {
          return;
        }
        long holding = queue.entries.stream().filter(entry -> entry.holder == this).count();
        for (Entry entry : queue.entries) {
          if (holding >= delivery.inFlight()) {
            break; // its prefetch, as a broker's QoS: what is beyond waits on the broker
          }
          if (entry.holder == null) {
            holding++;
            entry.holder = this;
            out.add(new MemoryArrival(entry, this));
          }
        }
      }
      out.forEach(arrivals::handle);
    }

    @Override
    public void pause() {
      synchronized (MemoryWire.this) {
        paused = true;
      }
    }

    @Override
    public void resume() {
      synchronized (MemoryWire.this) {
        paused = false;
      }
      pumpLater();
    }

    @Override
    public Future<Void> stop() {
      synchronized (MemoryWire.this) {
        stopped = true;
      }
      return Future.succeededFuture();
    }

    /** Hands out nothing more; what it holds stays held (see the class's comment). */
    @Override
    public Future<Void> close() {
      synchronized (MemoryWire.this) {
        if (queue.source == this) {
          queue.source = null;
        }
      }
      return Future.succeededFuture();
    }
  }

  private final class MemoryArrival implements Arrival {
    private final Entry entry;
    private final MemorySource source;

    MemoryArrival(Entry entry, MemorySource source) {
      this.entry = entry;
      this.source = source;
    }

    @Override
    public byte[] body() {
      return entry.body;
    }

    @Override
    public String channelModule() {
      return entry.module;
    }

    @Override
    public String typeHeader() {
      return entry.type;
    }

    @Override
    public String where() {
      return "memory message " + entry.sequence;
    }

    @Override
    public boolean held() {
      synchronized (MemoryWire.this) {
        return entry.holder == source;
      }
    }

    @Override
    public Future<Void> acknowledge() {
      synchronized (MemoryWire.this) {
        if (entry.holder == source) {
          source.queue.entries.remove(entry);
        }
      }
      source.pumpLater();
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> release() {
      synchronized (MemoryWire.this) {
        if (entry.holder == source) {
          entry.holder = null;
        }
      }
      source.pumpLater();
      return Future.succeededFuture();
    }
  }
}
