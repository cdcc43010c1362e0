package dev.switchboard.runtime.store;

import io.vertx.core.Future;

import java.util.Optional;

/**
 * Roles that one node at a time may play among the nodes sharing a store: a consumer reading the
 * log, a projection, the outbox relay. A lease is held until it is released or lost (its node died,
 * or lost its connection to the store); then another node may take the role.
 *
 * <p>Leases spare work, they do not make it safe: a node that lost its lease may still finish the
 * batch in hand while another takes over. Inboxes, checkpoints and stream versions keep every
 * effect to once in that overlap.
 */
public interface Leases {

  /** Takes the role if no one holds it; empty if another node (or another holder here) does. */
  Future<Optional<Lease>> tryAcquire(String role);

  /**
   * How many nodes share the store now, this one included, for dividing work among them: each node
   * is counted while it holds its own presence, which ends with it as its leases do.
   */
  Future<Integer> nodesPresent();

  /** A role held. */
  interface Lease {

    String role();

    /** Completes when the lease is lost without being released. */
    Future<Void> lost();

    Future<Void> release();
  }
}
