package dev.switchboard.runtime.store;

import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;

/**
 * One role a runner (a consumer's reader, a projection, the outbox relay) plays only while it holds
 * its lease: it tries to take the lease at each of its polls, and steps back when the lease is lost.
 * Confined to the runner's context, like the runner.
 */
public final class ExclusiveRole {

  private static final Logger LOG = LoggerFactory.getLogger(ExclusiveRole.class);

  private final Leases leases;
  private final String role;
  private Leases.Lease lease;
  private boolean acquiring;
  private boolean warnedUnavailable;

  public ExclusiveRole(Leases leases, String role) {
    this.leases = leases;
    this.role = role;
  }

  public boolean held() {
    return lease != null;
  }

  /**
   * Takes the lease if it is not held and free.
   *
   * @return true if the lease was taken by this call (the runner should reload its position: another
   *     node may have moved it)
   */
  public Future<Boolean> tryTake() {
    if (lease != null || acquiring) {
      return Future.succeededFuture(false);
    }
    acquiring = true;
    return leases.tryAcquire(role).map((Optional<Leases.Lease> taken) -> {
      acquiring = false;
      warnedUnavailable = false;
      if (taken.isEmpty()) {
        return false;
      }
      Leases.Lease mine = taken.get();
      lease = mine;
      LOG.info("took the role {}", role);
      mine.lost().onComplete(v -> {
        if (lease == mine) {
          lease = null;
          LOG.warn("lost the role {} (the store connection holding it went away); will try to take it again", role);
        }
      });
      return true;
    }).recover(failure -> {
      acquiring = false;
      if (!warnedUnavailable) {
        LOG.warn("cannot take the role {} now: {}", role, failure.toString());
        warnedUnavailable = true;
      }
      return Future.succeededFuture(false);
    });
  }

  public Future<Void> release() {
    Leases.Lease held = lease;
    lease = null;
    return held == null ? Future.succeededFuture() : held.release().recover(failure -> Future.succeededFuture());
  }
}
