package dev.switchboard.app.security;

import java.util.Optional;

/** What a caller may do, as the token's roles claim names it. */
public enum Role {
  /** Places orders for itself (the token's subject) and reads its own orders only. */
  CUSTOMER("customer"),
  /** Reads and acts on operations: dead letters, projections, status, metrics, every order, the live console. */
  OPERATOR("operator");

  private final String claimValue;

  Role(String claimValue) {
    this.claimValue = claimValue;
  }

  public String claimValue() {
    return claimValue;
  }

  /** The role a claim value names; empty for a value we give no meaning (a token may carry others' roles). */
  static Optional<Role> named(String claimValue) {
    for (Role role : values()) {
      if (role.claimValue.equals(claimValue)) {
        return Optional.of(role);
      }
    }
    return Optional.empty();
  }
}
