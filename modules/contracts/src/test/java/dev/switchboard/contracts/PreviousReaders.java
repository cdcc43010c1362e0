package dev.switchboard.contracts;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The records of event types as they were one version before the newest, frozen here when the
 * newest was added: what a node not yet upgraded reads with. {@link SchemaCompatibilityTest} decodes
 * a sample of the newest version with them, as such a node would.
 *
 * <p>Adding a version N of a type: copy the record as it is (version N-1) into this class under
 * {@code <Type>V<N-1>}, and replace the type's entry in {@link #BY_TYPE}.
 */
final class PreviousReaders {

  /** OrderPlaced as version 1 read it. */
  record OrderPlacedV1(String orderId, String customerId, List<LineV1> items, BigDecimal total) {
    record LineV1(String productId, int quantity, BigDecimal unitPrice) {
    }
  }

  /** PaymentDeclined as version 1 read it. */
  record PaymentDeclinedV1(String orderId, BigDecimal amount, String reason) {
  }

  private static final Map<String, Class<? extends Record>> BY_TYPE = Map.of(
      "OrderPlaced", OrderPlacedV1.class,
      "PaymentDeclined", PaymentDeclinedV1.class);

  private PreviousReaders() {
  }

  /** The reader of the version before the newest of a type; empty if none was frozen. */
  static Optional<Class<? extends Record>> of(EventType<?> type) {
    return Optional.ofNullable(BY_TYPE.get(type.name()));
  }
}
