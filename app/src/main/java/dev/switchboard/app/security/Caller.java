package dev.switchboard.app.security;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling: the token's subject and roles, or {@link #anonymous()} on a node without
 * authentication (a laptop), who may do everything, as before security existed.
 *
 * @param name      the token's {@code sub} (a customer's id for a customer), or {@value #ANONYMOUS}
 * @param roles     what the caller may do
 * @param expiresAt when the token stops being accepted (its {@code exp} and the clock skew forgiven);
 *                  empty for the anonymous caller
 */
public record Caller(String name, Set<Role> roles, Optional<Instant> expiresAt) {

  public static final String ANONYMOUS = "anonymous";

  public Caller {
    roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
  }

  /** The caller of a node with {@code security.mode=none}: every role, and every customer's orders. */
  public static Caller anonymous() {
    return new Caller(ANONYMOUS, EnumSet.allOf(Role.class), Optional.empty());
  }

  public boolean isAnonymous() {
    return expiresAt.isEmpty() && ANONYMOUS.equals(name);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean hasAnyOf(Set<Role> wanted) {
    return wanted.stream().anyMatch(roles::contains);
  }

  /**
   * The customer whose orders alone this caller may read; empty if it may read every order (an
   * operator, or the anonymous caller of an unsecured node).
   */
  public Optional<String> ordersScope() {
    return has(Role.OPERATOR) ? Optional.empty() : Optional.of(name);
  }

  /** The customer this caller may place orders for; empty if any (the anonymous caller). */
  public Optional<String> placesOrdersFor() {
    return isAnonymous() ? Optional.empty() : Optional.of(name);
  }

  public boolean expiredAt(Instant now) {
    return expiresAt.map(now::isAfter).orElse(false);
  }
}
