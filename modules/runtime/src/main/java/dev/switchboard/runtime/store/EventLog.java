package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The log read from a position, and told of as it grows: what the feed, the projections, the relay
 * and the lag gauges read.
 */
public interface EventLog {

  /** Events after a position, in log order, of the given types (all types if empty). */
  Future<List<StoredEvent>> readAll(long afterPosition, Set<String> types, int limit);

  /** How many events of the given types (all if empty) lie after a position: a consumer's lag. */
  Future<Long> countAfter(long afterPosition, Set<String> types);

  /** Runs {@code listener} (on the registering context) after each commit that appended events. */
  default Registration onAppended(Runnable listener) {
    return onAppended(Set.of(), listener);
  }

  /**
   * Runs {@code listener} (on the registering context) after each commit that appended events of
   * one of {@code types} (any, if empty); after a commit whose types the store cannot tell (one
   * of another node, say), too.
   */
  Registration onAppended(Set<String> types, Runnable listener);

  /**
   * Hands every batch of events this store appended to {@code observer}, on the thread that
   * committed them: it must be quick and thread-safe (a metrics counter, say).
   */
  void observeAppends(Consumer<List<StoredEvent>> observer);
}
