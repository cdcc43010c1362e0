package dev.switchboard.stores.postgres;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.EventSchemas;
import dev.switchboard.contracts.ExactJson;
import dev.switchboard.runtime.store.AppendListeners;
import dev.switchboard.runtime.store.DeadLetter;
import dev.switchboard.runtime.store.Document;
import dev.switchboard.runtime.store.DocumentKey;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.store.Leases;
import dev.switchboard.runtime.store.ReadModelStore;
import dev.switchboard.runtime.store.ReadsTogether;
import dev.switchboard.runtime.store.RecentEvents;
import dev.switchboard.runtime.store.Registration;
import dev.switchboard.runtime.store.StatementsSent;
import dev.switchboard.runtime.store.StoreUnavailable;
import dev.switchboard.runtime.store.StoredEvent;
import dev.switchboard.runtime.store.UnitOfWork;
import dev.switchboard.runtime.store.write.StoreWrites;
import dev.switchboard.runtime.store.write.WritesOfTheRuntime;
import dev.switchboard.runtime.store.write.WriteStatements;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.NetClientOptions;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgConnection;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The event store on PostgreSQL, through vertx-pg-client: what a cluster of nodes shares.
 * Semantics are exactly those of the embedded store (one contract test suite runs against both).
 *
 * <h2>A gap-free global order: positions become visible in commit order</h2>
 *
 * <p>A position drawn from a sequence is handed out when a transaction inserts, but becomes
 * visible when it commits. With concurrent appenders, transaction A may take position 10, B take
 * 11, and B commit first: a subscriber that just read "everything after 9" sees 11, remembers 11,
 * and asks for "everything after 11" from then on, so it never sees 10 once A commits (the bug
 * behind Axon #2747 and Marten #3321).
 *
 * <p>Here every transaction that appends events takes, before it inserts them, one transaction-scoped advisory lock,
 * {@code pg_advisory_xact_lock(}{@link PostgresSql#APPEND_LOCK_KEY}{@code )}, on every connection of
 * every node. PostgreSQL releases it only when the transaction ends, after its commit became visible
 * to new snapshots. So appending transactions run their inserts one at a time: the next one draws
 * its positions (from the {@code events.position} identity column) only after the previous one
 * committed or rolled back. Positions are therefore drawn in commit order, and a reader that has
 * seen position P will never later find a smaller position appear: any snapshot that shows a
 * transaction's events shows those of every transaction that appended before it. (A rolled-back
 * append leaves a hole in the numbers, which a reader cannot mistake for anything.) The lock also
 * makes the stream-version check exact across nodes; the unique key on (stream, version) stays as
 * the last guard. Writes that append nothing (documents, inboxes, checkpoints, dead letters) do
 * not take the lock.
 *
 * <p>The price is that appends are serialized across the cluster; group commit (the
 * {@link PostgresWriter}: many commands' events in one transaction, one lock turn, one commit)
 * keeps that cheap. The lock waits at most {@code statement_timeout}; a node that dies
 * mid-transaction loses its connection and so the lock, and {@code idle_in_transaction_session_timeout}
 * bounds a node that hangs.
 *
 * <h2>Waking subscribers</h2>
 *
 * <p>Each transaction that appended events runs {@code pg_notify('switchboard_events', …)} before
 * it commits (PostgreSQL delivers it at commit, only if it commits). A {@link PgSubscriber}, with a
 * reconnect policy that retries forever, listens and runs the {@link #onAppended} listeners, so
 * appends of other nodes wake this node's consumers too. Listeners run at once after this store's
 * own commits (its own notifications are recognized by their origin and skipped), and once more
 * after the subscriber reconnects, since notifications sent meanwhile are lost. The transports'
 * polling remains the safety net.
 *
 * <h2>Schema</h2>
 *
 * <p>Created and migrated at {@link #open}, with Flyway ({@link PostgresSchema}).
 */
public final class PostgresEventStore implements WritesOfTheRuntime, StatementsSent.Counted {

  private static final Logger LOG = LoggerFactory.getLogger(PostgresEventStore.class);
  private static final long CLOSE_TIMEOUT_MILLIS = TimeUnit.SECONDS.toMillis(30);
  /** Most keys in one read of {@link #streams} or {@link #documents}. */
  private static final int MAX_KEYS_READ_TOGETHER = 256;

  private final Vertx vertx;
  private final PostgresStoreSettings settings;
  private final PgConnectOptions connectOptions;
  /** Queries sent on the read pool so far. */
  private final AtomicLong readsSent = new AtomicLong();
  /** This store's id: the origin of its notifications, and the node of its rows of consumers' reach. */
  private final String origin = UUID.randomUUID().toString();
  private final AppendListeners appendListeners = new AppendListeners();
  private final StoreWrites writes;
  private final RecentEvents recentEvents;
  private final AtomicLong relistened = new AtomicLong();
  private final ReadModelStore readModels = new PostgresReadModels(this);
  private final PostgresLeases leases;
  private final ReadsTogether<String, List<StoredEvent>> streams =
      new ReadsTogether<>(this::readStreams, List.of(), List::copyOf, MAX_KEYS_READ_TOGETHER);
  private final ReadsTogether<DocumentKey, Optional<Document>> documents =
      new ReadsTogether<>(this::readDocuments, Optional.empty(), read -> read.map(Document::copy), MAX_KEYS_READ_TOGETHER);
  private Pool readPool;
  private PostgresWriter writer;
  private volatile PgSubscriber subscriber;
  private volatile boolean closed;

  private PostgresEventStore(Vertx vertx, EventSchemas schemas, PostgresStoreSettings settings) {
    this.vertx = vertx;
    this.writes = new StoreWrites(schemas, this::written, appendListeners);
    this.settings = settings;
    this.recentEvents = new RecentEvents(settings.recentEvents(), false);
    this.connectOptions = settings.connectOptions();
    this.leases = new PostgresLeases(vertx, connectOptions,
        settings.connectTimeoutMillis() + (long) settings.statementTimeoutMillis());
  }

  /**
   * Migrates the schema (on a worker thread), then opens the connection pools, the writer and the
   * notification listener.
   */
  public static Future<EventStore> open(Vertx vertx, EventSchemas schemas, PostgresStoreSettings settings) {
    PostgresEventStore store;
    try {
      store = new PostgresEventStore(vertx, schemas, settings);
    } catch (IllegalArgumentException e) { // e.g. a root certificate that cannot be read
      return Future.failedFuture(e);
    }
    return vertx.executeBlocking(() -> PostgresSchema.migrate(store.connectOptions, settings.connectTimeoutMillis()))
        .compose(version -> store.start())
        .<EventStore>map(store)
        .recover(failure -> store.close().transform(closed -> Future.failedFuture(failure)));
  }

  private Future<Void> start() {
    PoolOptions readOptions = new PoolOptions()
        .setMaxSize(settings.poolSize())
        .setMaxWaitQueueSize(settings.poolWaitQueue())
        .setConnectionTimeout(settings.connectTimeoutMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    readPool = pool(readOptions);
    // the writer has a connection of its own, so that reads never keep it waiting for one
    PoolOptions writeOptions = new PoolOptions()
        .setMaxSize(1)
        .setMaxWaitQueueSize(4)
        .setConnectionTimeout(settings.connectTimeoutMillis())
        .setConnectionTimeoutUnit(TimeUnit.MILLISECONDS);
    long batchTimeoutMillis = 2L * settings.statementTimeoutMillis() + settings.connectTimeoutMillis();
    writer = new PostgresWriter(vertx, () -> pool(writeOptions), batchTimeoutMillis, settings.writeQueue(),
        settings.maxBatch(), origin, recentEvents);
    return writer.start()
        .compose(started -> readPool.query(PostgresSql.PRUNE_INBOX_REACH).execute())
        .compose(pruned -> listen(false))
        .onSuccess(v -> LOG.info("PostgreSQL store open on {}:{}/{} (pool {}, maxBatch {})", connectOptions.getHost(),
            connectOptions.getPort(), connectOptions.getDatabase(), settings.poolSize(), settings.maxBatch()));
  }

  private Pool pool(PoolOptions options) {
    // vertx-pg-client 5.0.8 does not pass these transport options on to its connections (PgDriver
    // ignores them); the pool's connectionTimeout is what bounds waiting for a connection
    NetClientOptions transport = new NetClientOptions().setConnectTimeout(settings.connectTimeoutMillis());
    return PgBuilder.pool().with(options).with(transport).connectingTo(connectOptions).using(vertx).build();
  }

  // ---------------------------------------------------------------- writes: the runtime's, with this store's statements

  @Override
  public StoreWrites writes() {
    return writes;
  }

  /** One write of the runtime's, as a pipelined work of the writer (see {@link PostgresStatements}). */
  private <T> Future<T> written(UnitOfWork work, Function<WriteStatements, Future<T>> statements) {
    return write(PostgresWriter.pipelined(tx -> statements.apply(new PostgresStatements(tx, origin))));
  }

  // ---------------------------------------------------------------- reads

  @Override
  public Future<Set<String>> handledAmong(String consumer, Collection<StoredEvent> events) {
    if (events.isEmpty()) {
      return Future.succeededFuture(Set.of());
    }
    String[] ids = events.stream().map(StoredEvent::id).toArray(String[]::new);
    String[] streams = events.stream().map(StoredEvent::streamId).toArray(String[]::new);
    // a sequence counts only for an event of the log: one from a broker may come again after a later one
    Long[] sequences = events.stream()
        .map(event -> event.handledIsKnownByItsStream() ? event.envelope().sequence() : 0L).toArray(Long[]::new);
    return read(pool -> pool.preparedQuery(PostgresSql.SELECT_HANDLED_AMONG)
        .execute(Tuple.of(consumer, ids, streams, sequences))
        .map(rows -> {
          Set<String> handled = new HashSet<>();
          rows.forEach(row -> handled.add(row.getString(0)));
          return handled;
        }));
  }

  @Override
  public Future<Long> checkpoint(String consumer) {
    return positionOf(PostgresSql.SELECT_CHECKPOINT, consumer);
  }

  @Override
  public Future<Long> handledUpTo(String consumer) {
    return positionOf(PostgresSql.SELECT_INBOX_REACH, consumer);
  }

  /** The position a query selects for a consumer, 0 if it has none. */
  private Future<Long> positionOf(String sql, String consumer) {
    return read(pool -> pool.preparedQuery(sql).execute(Tuple.of(consumer))
        .map(rows -> rows.size() == 0 ? 0L : rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<List<StoredEvent>> readStream(String streamId) {
    return streams.read(streamId);
  }

  private Future<Map<String, List<StoredEvent>>> readStreams(List<String> streamIds) {
    return read(pool -> pool.preparedQuery(PostgresSql.SELECT_STREAMS)
        .execute(Tuple.of((Object) streamIds.toArray(String[]::new)))
        .map(rows -> {
          Map<String, List<StoredEvent>> found = new HashMap<>();
          for (Row row : rows) {
            found.computeIfAbsent(row.getString(0), stream -> new ArrayList<>())
                .add(new StoredEvent(row.getLong(1), EventEnvelope.fromJson(ExactJson.parse(row.getString(2)))));
          }
          found.replaceAll((stream, events) -> Collections.unmodifiableList(events));
          return found;
        }));
  }

  @Override
  public Future<List<StoredEvent>> readSubject(String subject) {
    return read(pool -> pool.preparedQuery(PostgresSql.SELECT_SUBJECT).execute(Tuple.of(subject))
        .map(PostgresEventStore::events));
  }

  @Override
  public Future<List<StoredEvent>> readAll(long afterPosition, Set<String> types, int limit) {
    List<StoredEvent> recent = closed ? null : recentEvents.after(afterPosition, types, limit);
    if (recent != null) {
      return Future.succeededFuture(recent);
    }
    if (types.isEmpty()) {
      return read(pool -> pool.preparedQuery(PostgresSql.SELECT_ALL).execute(Tuple.of(afterPosition, limit))
          .map(PostgresEventStore::events));
    }
    String[] typeList = types.toArray(new String[0]);
    return read(pool -> pool.preparedQuery(PostgresSql.SELECT_ALL_OF_TYPES)
        .execute(Tuple.of(afterPosition, typeList, limit))
        .map(PostgresEventStore::events));
  }

  @Override
  public Future<Long> countAfter(long afterPosition, Set<String> types) {
    if (types.isEmpty()) {
      return read(pool -> pool.preparedQuery("SELECT count(*) FROM events WHERE position > $1")
          .execute(Tuple.of(afterPosition)).map(rows -> rows.iterator().next().getLong(0)));
    }
    return read(pool -> pool.preparedQuery("SELECT count(*) FROM events WHERE position > $1 AND type = ANY($2)")
        .execute(Tuple.of(afterPosition, (Object) types.toArray(new String[0]))) // one array, not varargs
        .map(rows -> rows.iterator().next().getLong(0)));
  }

  @Override
  public Future<Optional<Document>> document(String collection, String id) {
    return documents.read(new DocumentKey(collection, id));
  }

  private Future<Map<DocumentKey, Optional<Document>>> readDocuments(List<DocumentKey> keys) {
    String[] collections = keys.stream().map(DocumentKey::collection).toArray(String[]::new);
    String[] ids = keys.stream().map(DocumentKey::id).toArray(String[]::new);
    return read(pool -> pool.preparedQuery(PostgresSql.SELECT_DOCUMENTS).execute(Tuple.of(collections, (Object) ids))
        .map(rows -> {
          Map<DocumentKey, Optional<Document>> found = new HashMap<>();
          for (Row row : rows) {
            Document document = new Document(row.getString(0), row.getString(1), row.getLong(2),
                ExactJson.parse(row.getString(3)));
            found.put(new DocumentKey(document.collection(), document.id()), Optional.of(document));
          }
          return found;
        }));
  }

  @Override
  public Future<List<DeadLetter>> deadLetters(int limit) {
    return read(pool -> pool.preparedQuery(PostgresSql.SELECT_DEAD_LETTERS).execute(Tuple.of(limit))
        .map(PostgresEventStore::deadLetters));
  }

  @Override
  public Future<Optional<DeadLetter>> findDeadLetter(String id) {
    return read(pool -> pool.preparedQuery(PostgresSql.SELECT_DEAD_LETTER).execute(Tuple.of(id))
        .map(rows -> deadLetters(rows).stream().findFirst()));
  }

  @Override
  public void observeAppends(Consumer<List<StoredEvent>> observer) {
    appendListeners.observe(observer);
  }

  @Override
  public Leases leases() {
    return leases;
  }

  /** What this store has sent the server so far. */
  @Override
  public StatementsSent statementsSent() {
    WriterCounts counts = writer.counts();
    return new StatementsSent(counts.statements(), counts.roundTrips(), readsSent.get(),
        writer.committedTransactions());
  }

  /** The node's feed of committed events. */
  RecentEvents recentEvents() {
    return recentEvents;
  }

  @Override
  public ReadModelStore readModels() {
    return readModels;
  }

  @Override
  public Future<Void> ping() {
    return read(pool -> pool.query("SELECT 1").execute().mapEmpty());
  }

  // ---------------------------------------------------------------- notifications

  @Override
  public Registration onAppended(Set<String> types, Runnable listener) {
    return appendListeners.add(vertx, types, listener);
  }

  /**
   * LISTENs on the channel with a subscriber that reconnects forever (with a growing delay, at most
   * 5 s); every (re)subscription after the first wakes the listeners, for what was missed meanwhile.
   */
  private Future<Void> listen(boolean wakeOnFirstSubscription) {
    PgSubscriber listening = PgSubscriber.subscriber(vertx, connectOptions)
        .reconnectPolicy(attempt -> Math.min(5_000L, 100L << Math.min(attempt, 6)));
    AtomicBoolean subscribedBefore = new AtomicBoolean(wakeOnFirstSubscription);
    listening.channel(PostgresSql.CHANNEL)
        .subscribeHandler(v -> {
          PgConnection connection = listening.actualConnection();
          if (connection != null) { // it reconnects by itself: a lost connection needs no stack trace
            connection.exceptionHandler(failure -> LOG.debug("PostgreSQL store: listener connection: {}",
                failure.toString()));
          }
          if (subscribedBefore.getAndSet(true) && !closed) {
            LOG.info("PostgreSQL store: listening for appends again; waking consumers for what they missed");
            relistened.incrementAndGet();
            recentEvents.forget();
            appendListeners.wake();
          }
        })
        .handler(this::notified);
    subscriber = listening;
    return listening.connect().recover(failure -> {
      // a subscriber whose first connect failed does not retry by itself: start a new one later
      LOG.warn("PostgreSQL store: cannot LISTEN for appends ({}); polling covers it, retrying in 1 s",
          failure.toString());
      listening.close();
      vertx.setTimer(1_000, timer -> {
        if (!closed) {
          listen(true);
        }
      });
      return Future.succeededFuture();
    });
  }

  private void notified(String payload) {
    if (closed) {
      return;
    }
    try {
      JsonObject notification = new JsonObject(payload);
      if (origin.equals(notification.getString("origin"))) {
        return; // this store's own commit: its listeners ran already
      }
      Long position = notification.getLong("position");
      if (position != null) {
        recentEvents.heardOf(position);
      } else {
        recentEvents.forget();
      }
    } catch (RuntimeException malformed) {
      // someone else's NOTIFY on the channel: waking up is harmless, and so is reading the database
      recentEvents.forget();
    }
    appendListeners.wake();
  }

  // ---------------------------------------------------------------- closing

  @Override
  public Future<Void> close() {
    if (closed) {
      return Future.succeededFuture();
    }
    closed = true;
    Future<Void> drained = writer == null ? Future.succeededFuture()
        : writer.close(CLOSE_TIMEOUT_MILLIS).recover(failure -> {
          LOG.warn("PostgreSQL store: queued writes did not finish within {} ms", CLOSE_TIMEOUT_MILLIS, failure);
          return Future.succeededFuture();
        });
    return drained
        .eventually(() -> subscriber == null ? Future.succeededFuture() : subscriber.close())
        .eventually(leases::close)
        .eventually(() -> readPool == null ? Future.succeededFuture() : readPool.close())
        .transform(done -> {
          LOG.info("PostgreSQL store closed");
          return Future.succeededFuture();
        });
  }

  // ---------------------------------------------------------------- plumbing

  /** The writer's statistics, for tests: transactions committed. */
  long committedTransactions() {
    return writer.committedTransactions();
  }

  /** The writer's statistics, for tests: writes that went through committed transactions. */
  long committedWrites() {
    return writer.committedWrites();
  }

  /** For tests: how often the listener listened again after losing its connection. */
  long relistened() {
    return relistened.get();
  }

  <T> Future<T> write(PostgresWriter.Work<T> work) {
    if (closed) {
      return Future.failedFuture(new StoreUnavailable("the PostgreSQL store is closed", null));
    }
    return writer.submit(vertx.getOrCreateContext(), work);
  }

  <T> Future<T> read(Function<Pool, Future<T>> query) {
    if (closed) {
      return Future.failedFuture(new StoreUnavailable("the PostgreSQL store is closed", null));
    }
    // a read on a connection that was lost meanwhile is tried once more, on another connection
    return readOnce(query).recover(failure -> PostgresFailures.isConnectionLost(failure) && !closed
            ? vertx.timer(PostgresWriter.RECOVERY_DELAY_MILLIS, TimeUnit.MILLISECONDS).compose(v -> readOnce(query))
            : Future.failedFuture(failure))
        .recover(failure -> Future.failedFuture(PostgresFailures.of(failure)));
  }

  private <T> Future<T> readOnce(Function<Pool, Future<T>> query) {
    readsSent.incrementAndGet();
    try {
      // statement_timeout bounds the server; this bounds a server that stopped answering at all
      return query.apply(readPool)
          .timeout(settings.statementTimeoutMillis() + (long) settings.connectTimeoutMillis(), TimeUnit.MILLISECONDS);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
  }

  private static List<StoredEvent> events(RowSet<Row> rows) {
    if (rows.size() == 0) {
      return Collections.emptyList();
    }
    List<StoredEvent> events = new ArrayList<>(rows.size());
    for (Row row : rows) {
      events.add(new StoredEvent(row.getLong(0), EventEnvelope.fromJson(ExactJson.parse(row.getString(1)))));
    }
    return events;
  }

  private static List<DeadLetter> deadLetters(RowSet<Row> rows) {
    List<DeadLetter> letters = new ArrayList<>(rows.size());
    for (Row row : rows) {
      letters.add(new DeadLetter(row.getString(0), row.getString(1), row.getString(2), row.getLong(3),
          row.getString(4), row.getInteger(5), ExactJson.parse(row.getString(6)), row.getString(7)));
    }
    return letters;
  }
}
