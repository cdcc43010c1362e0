package dev.switchboard.orders.domain;

import java.util.List;

/** The outcome of deciding a command: the events to append (possibly none), or a rejection. */
public sealed interface Decision {

  record Accepted(List<Record> events) implements Decision {
    public Accepted {
      events = List.copyOf(events);
    }
  }

  record Rejected(OrderRejection rejection) implements Decision {
  }
}
