package dev.switchboard.contracts;

import dev.switchboard.contracts.orders.OrderPlacedHistory;
import dev.switchboard.contracts.payments.PaymentDeclinedHistory;
import io.vertx.core.json.JsonObject;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads events of every version as the newest: a chain of {@link Upcaster}s per event type, one
 * from each old version to the next, applied wherever an event is read (consumers, projections and
 * their rebuilds, dead-letter replays, aggregate streams). The log is never rewritten: events stay
 * as they were stored and are upcast each time they are read.
 *
 * <p>An event of a version newer than this node knows (written by a node already upgraded) is read
 * as it is: a new version must be readable by the previous version's reader
 * ({@link CompatibilityMode#FORWARD}), which ignores the fields it does not know.
 */
public final class EventUpcasters {

  private final Map<String, List<Upcaster>> chains;

  private EventUpcasters(Map<String, List<Upcaster>> chains) {
    this.chains = chains;
  }

  /**
   * The upcasters of the catalog for a shop.
   *
   * @param currency the shop's currency (ISO 4217): what orders placed before they named one were placed in
   */
  public static EventUpcasters forShop(String currency) {
    return builder()
        .step(EventCatalog.ORDER_PLACED, 1, OrderPlacedHistory.v1ToV2(currency))
        .step(EventCatalog.PAYMENT_DECLINED, 1, PaymentDeclinedHistory.V1_TO_V2)
        .build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * The event with its data in the newest version its type has; the same event if it is in it
   * already, of a newer version, or of a type the catalog does not know.
   *
   * @throws InvalidEventData if its version is not a version at all (0 or less)
   */
  public EventEnvelope upcast(EventEnvelope event) {
    EventType<?> type = EventCatalog.byName(event.type()).orElse(null);
    if (type == null || event.dataversion() >= type.version()) {
      return event;
    }
    if (event.dataversion() < 1) {
      throw new InvalidEventData(event.type(), event.dataversion(), List.of("unknown version of a known type"));
    }
    JsonObject data = event.data().copy();
    List<Upcaster> chain = chains.get(type.name());
    for (int version = event.dataversion(); version < type.version(); version++) {
      data = chain.get(version - 1).upcast(data);
    }
    return new EventEnvelope(event.id(), event.type(), event.source(), event.subject(), event.time(),
        type.dataschema(), type.version(), event.sequence(), event.correlationid(), event.causationid(), data,
        event.traceparent());
  }

  /** The data of an event of any catalog type, as its record (the newest shape). */
  public Record decode(EventEnvelope event) {
    return decode(event, EventCatalog.typeOfEvent(event));
  }

  /** The data of an event of the given type, as its record (the newest shape). */
  public <T extends Record> T decode(EventEnvelope event, EventType<T> type) {
    if (!type.name().equals(event.type())) {
      throw new InvalidEnvelope("a " + event.type() + " is not a " + type.name());
    }
    return EventData.decode(upcast(event).data(), type.dataClass());
  }

  /** Registers the steps; refuses a catalog type with a version that no chain of steps reaches. */
  public static final class Builder {

    private final Map<String, Map<Integer, Upcaster>> steps = new HashMap<>();

    private Builder() {
    }

    /** The step from {@code fromVersion} of {@code type} to the version after it. */
    public Builder step(EventType<?> type, int fromVersion, Upcaster upcaster) {
      if (fromVersion < 1 || fromVersion >= type.version()) {
        throw new IllegalArgumentException(type.name() + " has no step from version " + fromVersion
            + " (its newest version is " + type.version() + ")");
      }
      if (steps.computeIfAbsent(type.name(), name -> new HashMap<>()).putIfAbsent(fromVersion, upcaster) != null) {
        throw new IllegalArgumentException(type.name() + " has two steps from version " + fromVersion);
      }
      return this;
    }

    public EventUpcasters build() {
      Map<String, List<Upcaster>> chains = new HashMap<>();
      for (EventType<?> type : EventCatalog.ALL) {
        Map<Integer, Upcaster> ofType = steps.getOrDefault(type.name(), Map.of());
        List<Upcaster> chain = new ArrayList<>();
        for (int version = 1; version < type.version(); version++) {
          Upcaster step = ofType.get(version);
          if (step == null) {
            throw new IllegalStateException(type.name() + " v" + version + " cannot be read: no upcaster to v"
                + (version + 1));
          }
          chain.add(step);
        }
        chains.put(type.name(), List.copyOf(chain));
      }
      return new EventUpcasters(Map.copyOf(chains));
    }
  }
}
