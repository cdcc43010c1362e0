package dev.switchboard.runtime.store;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Reads of single keys asked for in one turn of an event loop, sent to the store as one query for
 * all their keys (the way a data loader batches): a consumer decides a batch's events side by side,
 * and each handler reads its own stream or document, so that a batch of 50 events costs one round
 * trip per kind of read instead of 50. A read waits at most until the current task of its context
 * is done; a key asked for twice is read once, and each asker gets its own copy.
 *
 * <p>Reads from outside an event loop (a worker thread, a thread of no Vert.x context) go alone.
 *
 * @param <K> a key (a stream id, say)
 * @param <V> what one key reads
 */
public final class ReadsTogether<K, V> {

  private final Function<List<K>, Future<Map<K, V>>> readAll;
  private final V absent;
  private final UnaryOperator<V> copy;
  private final int maxKeys;
  /** The keys asked for in the current turn of each context, not yet sent. */
  private final Map<Context, Map<K, List<Promise<V>>>> open = new ConcurrentHashMap<>();

  /**
   * @param readAll reads many keys in one query; a key it finds nothing for is left out
   * @param absent  what a key found nothing for reads as
   * @param copy    a copy of a value, for the second and later askers of one key
   * @param maxKeys the most keys in one query: more asked for in one turn go in several
   */
  public ReadsTogether(Function<List<K>, Future<Map<K, V>>> readAll, V absent, UnaryOperator<V> copy, int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1, was " + maxKeys);
    }
    this.readAll = readAll;
    this.absent = absent;
    this.copy = copy;
    this.maxKeys = maxKeys;
  }

  public Future<V> read(K key) {
    Context context = Vertx.currentContext();
    if (context == null || !Context.isOnEventLoopThread()) {
      // a task on a worker thread may run beside its context's event loop: only an event loop's
      // own tasks follow each other, so that the keys of one turn can be gathered without locks
      return readAll.apply(List.of(key)).map(found -> found.getOrDefault(key, absent));
    }
    Map<K, List<Promise<V>>> waiting = open.computeIfAbsent(context, ignored -> {
      context.runOnContext(turnOver -> send(context));
      return new LinkedHashMap<>();
    });
    Promise<V> read = Promise.promise();
    waiting.computeIfAbsent(key, ignored -> new ArrayList<>(1)).add(read);
    if (waiting.size() >= maxKeys) {
      send(context);
    }
    return read.future();
  }

  private void send(Context context) {
    Map<K, List<Promise<V>>> waiting = open.remove(context);
    if (waiting == null) {
      return; // sent already, when it reached maxKeys
    }
    Future<Map<K, V>> found;
    try {
      found = readAll.apply(new ArrayList<>(waiting.keySet()));
    } catch (RuntimeException thrown) {
      found = Future.failedFuture(thrown);
    }
    found.onComplete(answer -> waiting.forEach((key, askers) -> {
      if (answer.failed()) {
        askers.forEach(asker -> asker.fail(answer.cause()));
        return;
      }
      V value = answer.result().getOrDefault(key, absent);
      for (int i = 0; i < askers.size(); i++) {
        askers.get(i).complete(i == 0 ? value : copy.apply(value));
      }
    }));
  }
}
