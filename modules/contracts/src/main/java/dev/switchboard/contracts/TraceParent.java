package dev.switchboard.contracts;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A W3C Trace Context {@code traceparent} ({@code 00-<trace id>-<parent id>-<flags>}), carried in
 * the envelope as the CloudEvents distributed-tracing extension attribute, so that one order's path
 * through every module and transport is one trace.
 */
public record TraceParent(String traceId, String parentId, String flags) {

  private static final Pattern FORMAT = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})");
  private static final String INVALID_TRACE = "0".repeat(32);
  private static final String INVALID_PARENT = "0".repeat(16);

  /** The header's value if it is a valid version-00 traceparent; empty otherwise (start a new trace). */
  public static Optional<TraceParent> parse(String value) {
    if (value == null) {
      return Optional.empty();
    }
    var matcher = FORMAT.matcher(value.trim());
    if (!matcher.matches() || matcher.group(1).equals(INVALID_TRACE) || matcher.group(2).equals(INVALID_PARENT)) {
      return Optional.empty();
    }
    return Optional.of(new TraceParent(matcher.group(1), matcher.group(2), matcher.group(3)));
  }

  /** A new trace, sampled, whose ids are drawn from the given hex (at least 48 hex digits). */
  public static TraceParent root(String randomHex) {
    return new TraceParent(randomHex.substring(0, 32), randomHex.substring(32, 48), "01");
  }

  /** The same trace, one step further: {@code spanId} (16 hex digits) is the new parent. */
  public TraceParent child(String spanId) {
    return new TraceParent(traceId, spanId, flags);
  }

  @Override
  public String toString() {
    return "00-" + traceId + "-" + parentId + "-" + flags;
  }
}
