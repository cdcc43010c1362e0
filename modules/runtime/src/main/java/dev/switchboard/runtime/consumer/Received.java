package dev.switchboard.runtime.consumer;

import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.runtime.store.StoredEvent;

/** An event handed to a handler: its decoded, schema-checked data and the envelope it came in. */
public record Received<T extends Record>(StoredEvent event, T data) {

  public EventEnvelope envelope() {
    return event.envelope();
  }

  public String subject() {
    return event.envelope().subject();
  }
}
