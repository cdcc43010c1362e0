package dev.switchboard.runtime.logging;

import org.slf4j.Logger;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * A warning that may come thousands of times a second (every refused request while the store's write
 * queue is full, say) logged at most once per interval, with how many were left out since the last
 * line: the log says what is happening without drowning in it, and without a stack trace each time.
 */
public final class IntervalLog {

  private final Logger log;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private boolean loggedOnce;
  private long loggedAt;
  private long leftOut;

  public IntervalLog(Logger log, Duration interval) {
    this(log, interval, System::nanoTime);
  }

  IntervalLog(Logger log, Duration interval, LongSupplier nanoTime) {
    this.log = log;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
  }

  /**
   * Logs {@code message} (a constant text: values from input belong in {@code value}, escaped
   * here) unless a line went out less than an interval ago.
   *
   * @return whether a line was written
   */
  public synchronized boolean warn(String message, Object value) {
    long now = nanoTime.getAsLong();
    if (loggedOnce && now - loggedAt < intervalNanos) {
      leftOut++;
      return false;
    }
    if (leftOut == 0) {
      log.warn("{}: {}", message, LogValues.escape(value));
    } else {
      log.warn("{}: {} ({} more like it since the last such line)", message, LogValues.escape(value), leftOut);
    }
    loggedOnce = true;
    loggedAt = now;
    leftOut = 0;
    return true;
  }
}
