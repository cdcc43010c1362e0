package dev.switchboard.contracts.payments;

/**
 * Why a payment was declined, for machines: the codes payments decides (its rules), and one for a
 * reason no rule names. Adding a code is a new version of {@code PaymentDeclined}: a reader of the
 * previous version would not know it.
 */
public enum DeclineCode {

  /** The order's total is over the most payments authorises ({@code payments.maxAmount}). */
  LIMIT_EXCEEDED,

  /** A reason that names no rule: a version-1 decline whose text says no known rule. */
  UNSPECIFIED
}
