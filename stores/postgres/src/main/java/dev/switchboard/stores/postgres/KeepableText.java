package dev.switchboard.stores.postgres;

/**
 * Text PostgreSQL will keep. A dead letter must be storable whatever made its event fail: a reason
 * or an event id that quotes a NUL character (U+0000), which PostgreSQL refuses in text, would
 * otherwise fail the letter too, and the event would come back for ever.
 */
final class KeepableText {

  private KeepableText() {
  }

  /** {@code text} with each NUL written out as a backslash, u and 0000; null stays null. */
  static String of(String text) {
    return text == null || text.indexOf('\u0000') < 0 ? text : text.replace("\u0000", "\\u0000");
  }
}
