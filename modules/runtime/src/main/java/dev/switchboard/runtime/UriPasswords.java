package dev.switchboard.runtime;

import java.util.regex.Pattern;

/**
 * Takes passwords out of connection URIs in text bound for a log line or an error message:
 * {@code postgresql://app:s3cret@db/orders} becomes {@code postgresql://app:***@db/orders}, and a
 * {@code password=} parameter loses its value. Works on any text, so that a driver's message quoting
 * a URI (even a malformed one) is safe too.
 */
public final class UriPasswords {

  /** {@code scheme://user:} then the password up to the last {@code @} of the same word. */
  private static final Pattern USER_INFO = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]*://[^\\s:/@]*:)[^\\s]*@");
  private static final Pattern PASSWORD_PARAMETER = Pattern.compile("(?i)(password=)[^&\\s\"']*");

  private UriPasswords() {
  }

  public static String redact(String text) {
    if (text == null) {
      return null;
    }
    String withoutUserInfo = USER_INFO.matcher(text).replaceAll("$1***@");
    return PASSWORD_PARAMETER.matcher(withoutUserInfo).replaceAll("$1***");
  }
}
