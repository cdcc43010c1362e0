package dev.switchboard.app.http;

/** Values from a request made safe for a log line: control characters escaped, so no line can be forged. */
final class LogValues {

  private static final int MAX_LENGTH = 200;

  private LogValues() {
  }

  static String escape(String value) {
    if (value == null) {
      return "-";
    }
    String bounded = value.length() > MAX_LENGTH ? value.substring(0, MAX_LENGTH) + "…" : value;
    StringBuilder escaped = new StringBuilder(bounded.length());
    for (char c : bounded.toCharArray()) {
      if (c < 0x20 || c == 0x7f || c == '\\' || c == '\u2028' || c == '\u2029') {
        escaped.append(String.format("\\u%04x", (int) c));
      } else {
        escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
