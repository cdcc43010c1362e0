package dev.switchboard.stores.embedded;

import dev.switchboard.runtime.store.Leases;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Leases among the runners of one process: the embedded store is one process's file, so there is
 * no other node to share a role with. A lease is lost only when the store closes.
 */
final class InProcessLeases implements Leases {

  private final Set<String> held = ConcurrentHashMap.newKeySet();

  @Override
  public Future<Optional<Lease>> tryAcquire(String role) {
    if (!held.add(role)) {
      return Future.succeededFuture(Optional.empty());
    }
    return Future.succeededFuture(Optional.of(new InProcessLease(role)));
  }

  /** One: the embedded store's file belongs to one process. */
  @Override
  public Future<Integer> nodesPresent() {
    return Future.succeededFuture(1);
  }

  private final class InProcessLease implements Lease {
    private final String role;
    private final Promise<Void> lost = Promise.promise();

    InProcessLease(String role) {
      this.role = role;
    }

    @Override
    public String role() {
      return role;
    }

    @Override
    public Future<Void> lost() {
      return lost.future();
    }

    @Override
    public Future<Void> release() {
      held.remove(role);
      return Future.succeededFuture();
    }
  }
}
