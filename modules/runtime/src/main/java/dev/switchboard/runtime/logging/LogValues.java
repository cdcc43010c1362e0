package dev.switchboard.runtime.logging;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values from outside made fit for a log line: they cannot forge a line (a CR or LF in a customer
 * id would start a new, fake one), they do not reveal who a customer is, and they carry no password.
 */
public final class LogValues {

  /** Longer values are cut: a megabyte of input is not worth a megabyte of log. */
  static final int MAX_LENGTH = 512;
  /**
   * {@code scheme://user:password@host}: the password part of a URI's user information. A password
   * with a typo may hold an unescaped {@code /} or {@code @} (so: up to the last {@code @} of the same
   * word), or a space (so, failing that: up to an {@code @} before any {@code /}). Taking too much
   * out of a log line is the safe mistake.
   */
  private static final Pattern URI_PASSWORD = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@]*:)[^\\s]*@");
  private static final Pattern URI_PASSWORD_WITH_SPACES = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@]*:)[^/]*@");
  /** {@code password=…} in a query string or a key-value setting. */
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&\\s\"';]*");

  private LogValues() {
  }

  /**
   * {@code value} as one printable line, cut after {@value #MAX_LENGTH} characters (see
   * {@link #oneLine}). Null stays null.
   */
  public static String escape(Object value) {
    if (value == null) {
      return null;
    }
    String text = value.toString();
    return text.length() > MAX_LENGTH
        ? oneLine(text.substring(0, MAX_LENGTH)) + "…(" + text.length() + " characters)"
        : oneLine(text);
  }

  /**
   * {@code text} with its control characters (CR, LF, tab, NUL, ESC, …) and the Unicode line and
   * paragraph separators written out as a backslash and n, r, t or u with four hex digits, so that it
   * stays on its line whatever it holds. Used for whole log messages too (see the app's
   * logback configuration), so it never cuts. Null stays null.
   */
  public static String oneLine(String text) {
    if (text == null) {
      return null;
    }
    StringBuilder out = null;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      String replacement = replacement(c);
      if (replacement != null && out == null) {
        out = new StringBuilder(text.length() + 16).append(text, 0, i);
      }
      if (out != null) {
        if (replacement != null) {
          out.append(replacement);
        } else {
          out.append(c);
        }
      }
    }
    return out == null ? text : out.toString();
  }

  /**
   * A customer id as logs may show it: the first three characters, then {@code ***}, then a short
   * hash of the whole id, so that lines about one customer can be told apart and matched without the
   * log saying who the customer is: {@code cus***7f3a9c}.
   */
  public static String customer(String customerId) {
    if (customerId == null) {
      return null;
    }
    String prefix = customerId.length() <= 6 ? "" : escape(customerId.substring(0, 3));
    return prefix + "***" + shortHash(customerId);
  }

  /** {@code text} with every password in a URI or a {@code password=} setting replaced by {@code ***}. */
  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String redacted = URI_PASSWORD.matcher(text).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***@"));
    redacted = URI_PASSWORD_WITH_SPACES.matcher(redacted).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***@"));
    return PASSWORD_PARAMETER.matcher(redacted).replaceAll(m -> Matcher.quoteReplacement(m.group(1) + "***"));
  }

  /** A URI without its password, for a log line or an error; one that does not parse is redacted as text. */
  public static String uri(String uri) {
    if (uri == null) {
      return null;
    }
    try {
      URI parsed = new URI(uri);
      String userInfo = parsed.getRawUserInfo();
      if (userInfo != null && userInfo.contains(":")) {
        String user = userInfo.substring(0, userInfo.indexOf(':'));
        return escape(redact(uri.replace(userInfo + "@", user + ":***@")));
      }
    } catch (Exception unparsable) {
      // a typo in a URI is exactly when a password must not be shown: redact it as text
    }
    return escape(redact(uri));
  }

  private static String replacement(char c) {
    return switch (c) {
      case '\n' -> "\\n";
      case '\r' -> "\\r";
      case '\t' -> "\\t";
      default -> Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || c == '\u0085'
          ? String.format("\\u%04x", (int) c) : null;
    };
  }

  private static String shortHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 3);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
