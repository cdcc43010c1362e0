package dev.switchboard.runtime.store;

import java.time.Instant;
import java.util.Optional;

/** What waits in the outbox: how many events, and when the oldest of them happened. */
public record OutboxBacklog(long events, Optional<Instant> oldest) {
}
