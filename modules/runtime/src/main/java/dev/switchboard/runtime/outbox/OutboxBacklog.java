package dev.switchboard.runtime.outbox;

import java.time.Instant;
import java.util.Optional;

/** What the outbox relay has yet to publish: how many events, and when the oldest of them happened. */
public record OutboxBacklog(long events, Optional<Instant> oldest) {
}
