package dev.switchboard.contracts;

import java.util.Optional;

/**
 * A W3C Trace Context {@code traceparent} ({@code 00-<trace id>-<parent id>-<flags>}), carried in
 * the envelope as the CloudEvents distributed-tracing extension attribute, so that one order's path
 * through every module and transport is one trace.
 */
public record TraceParent(String traceId, String parentId, String flags) {

  /** {@code 00-}, 32 hex digits, {@code -}, 16, {@code -}, 2. */
  private static final int LENGTH = 55;
  private static final int TRACE_ID = 3;
  private static final int PARENT_ID = 36;
  private static final int FLAGS = 53;

  /** The header's value if it is a valid version-00 traceparent; empty otherwise (start a new trace). */
  public static Optional<TraceParent> parse(String value) {
    String valid = validated(value);
    return valid == null ? Optional.empty() : Optional.of(new TraceParent(valid.substring(TRACE_ID, PARENT_ID - 1),
        valid.substring(PARENT_ID, FLAGS - 1), valid.substring(FLAGS)));
  }

  /**
   * The value without surrounding blanks if it is a valid version-00 traceparent, else null. Read
   * character by character: a trace is read for each event each consumer handles, and a regular
   * expression's matcher and groups came to about 4% of all the node allocated.
   */
  public static String validated(String value) {
    if (value == null) {
      return null;
    }
    String trimmed = value.trim();
    boolean valid = trimmed.length() == LENGTH && trimmed.startsWith("00-")
        && trimmed.charAt(PARENT_ID - 1) == '-' && trimmed.charAt(FLAGS - 1) == '-'
        && lowerHex(trimmed, TRACE_ID, PARENT_ID - 1) && lowerHex(trimmed, PARENT_ID, FLAGS - 1)
        && lowerHex(trimmed, FLAGS, LENGTH)
        // all zeros is an invalid trace or parent id (W3C)
        && !zeros(trimmed, TRACE_ID, PARENT_ID - 1) && !zeros(trimmed, PARENT_ID, FLAGS - 1);
    return valid ? trimmed : null;
  }

  private static boolean lowerHex(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = text.charAt(i);
      if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
        return false;
      }
    }
    return true;
  }

  private static boolean zeros(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (text.charAt(i) != '0') {
        return false;
      }
    }
    return true;
  }

  /** A new trace, sampled: {@code traceId} (32 hex digits), and {@code spanId} (16) its first span. */
  public static TraceParent root(String traceId, String spanId) {
    return new TraceParent(traceId, spanId, "01");
  }

  /** The same trace, one step further: {@code spanId} (16 hex digits) is the new parent. */
  public TraceParent child(String spanId) {
    return new TraceParent(traceId, spanId, flags);
  }

  /** Whether {@code traceparent} is this trace context written out: compared in place, not by writing this one out. */
  public boolean isWrittenAs(String traceparent) {
    return traceparent != null && traceparent.length() == LENGTH && traceparent.startsWith("00-")
        && traceparent.regionMatches(TRACE_ID, traceId, 0, traceId.length())
        && traceparent.charAt(PARENT_ID - 1) == '-'
        && traceparent.regionMatches(PARENT_ID, parentId, 0, parentId.length())
        && traceparent.charAt(FLAGS - 1) == '-'
        && traceparent.regionMatches(FLAGS, flags, 0, flags.length())
        && traceId.length() == PARENT_ID - 1 - TRACE_ID && parentId.length() == FLAGS - 1 - PARENT_ID
        && flags.length() == LENGTH - FLAGS;
  }

  @Override
  public String toString() {
    return "00-" + traceId + "-" + parentId + "-" + flags;
  }
}
