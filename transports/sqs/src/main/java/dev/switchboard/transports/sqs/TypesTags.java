package dev.switchboard.transports.sqs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The event types a consumer's queue subscribes to, kept on the queue itself as tags, so that every
 * node's wire (and an operator with the console) can tell which queues an event goes to without
 * being told the consumers up front.
 *
 * <p>The types are separated by spaces, not commas: AWS tag values allow letters, digits, spaces and
 * {@code + - = . _ : / @} only. A tag value holds at most 256 characters, so a long list goes on over
 * {@code switchboard-types}, {@code switchboard-types-2}, and so on.
 */
final class TypesTags {

  static final String KEY = "switchboard-types";
  private static final int MAX_VALUE_LENGTH = 256;

  private TypesTags() {
  }

  /** The tags that carry {@code types}, in a stable order. */
  static Map<String, String> of(Set<String> types) {
    Map<String, String> tags = new LinkedHashMap<>();
    StringBuilder value = new StringBuilder();
    for (String type : new TreeSet<>(types)) {
      if (type.length() > MAX_VALUE_LENGTH) {
        throw new IllegalArgumentException("event type \"" + type + "\" is too long for an SQS tag");
      }
      if (value.length() > 0 && value.length() + 1 + type.length() > MAX_VALUE_LENGTH) {
        tags.put(keyAt(tags.size()), value.toString());
        value.setLength(0);
      }
      if (value.length() > 0) {
        value.append(' ');
      }
      value.append(type);
    }
    if (value.length() > 0) {
      tags.put(keyAt(tags.size()), value.toString());
    }
    return tags;
  }

  /** The types a queue's tags carry (its other tags are left alone). */
  static Set<String> from(Map<String, String> tags) {
    return tags.entrySet().stream()
        .filter(tag -> tag.getKey().equals(KEY) || tag.getKey().startsWith(KEY + "-"))
        .flatMap(tag -> Arrays.stream(tag.getValue().strip().split(" +")))
        .filter(type -> !type.isEmpty())
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static String keyAt(int index) {
    return index == 0 ? KEY : KEY + "-" + (index + 1);
  }
}
