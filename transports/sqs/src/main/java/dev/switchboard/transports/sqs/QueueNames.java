package dev.switchboard.transports.sqs;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The wire's queue names, so that foreign clients can join: {@code switchboard-<consumer>.fifo} for
 * a consumer's events, {@code switchboard-<consumer>-dlq.fifo} for its dead letters (SQS's redrive
 * target and the runtime's dead-letter copies).
 */
final class QueueNames {

  /** What every queue of the wire starts with: the prefix it lists subscribers by. */
  static final String PREFIX = "switchboard-";
  static final String FIFO_SUFFIX = ".fifo";
  static final String DEAD_LETTER_SUFFIX = "-dlq" + FIFO_SUFFIX;
  /** SQS's limits on a queue name: 80 characters of letters, digits, hyphens and underscores (and .fifo). */
  private static final int MAX_NAME_LENGTH = 80;
  private static final Pattern CONSUMER = Pattern.compile("[A-Za-z0-9_-]+");

  private QueueNames() {
  }

  /** The queue of a consumer's events. */
  static String queueOf(String consumer) {
    return PREFIX + checked(consumer) + FIFO_SUFFIX;
  }

  /** The queue of a consumer's dead letters. */
  static String deadLetterQueueOf(String consumer) {
    return PREFIX + checked(consumer) + DEAD_LETTER_SUFFIX;
  }

  /**
   * The consumer whose events a queue holds, from its name or URL (its last path segment); empty for
   * a dead-letter queue or a queue that is none of the wire's.
   */
  static Optional<String> consumerOf(String queueNameOrUrl) {
    String name = queueNameOrUrl.substring(queueNameOrUrl.lastIndexOf('/') + 1);
    if (!name.startsWith(PREFIX) || !name.endsWith(FIFO_SUFFIX) || name.endsWith(DEAD_LETTER_SUFFIX)) {
      return Optional.empty();
    }
    String consumer = name.substring(PREFIX.length(), name.length() - FIFO_SUFFIX.length());
    return CONSUMER.matcher(consumer).matches() ? Optional.of(consumer) : Optional.empty();
  }

  /** The consumer's name if both its queues can carry it; an {@link IllegalArgumentException} otherwise. */
  static String checked(String consumer) {
    if (consumer == null || !CONSUMER.matcher(consumer).matches()) {
      throw new IllegalArgumentException("an SQS queue name takes only letters, digits, '-' and '_': consumer \""
          + consumer + "\" cannot have one");
    }
    if ((PREFIX + consumer + DEAD_LETTER_SUFFIX).length() > MAX_NAME_LENGTH) {
      throw new IllegalArgumentException("consumer \"" + consumer + "\" is too long for an SQS queue name (at most "
          + (MAX_NAME_LENGTH - PREFIX.length() - DEAD_LETTER_SUFFIX.length()) + " characters)");
    }
    return consumer;
  }
}
