package dev.switchboard.app.logging;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.switchboard.runtime.logging.LogValues;

/**
 * {@code %oneLineMsg}: the message with its line breaks and other control characters written out,
 * so that a value from input (a customer id, an event type from a broker) cannot end the line and
 * forge the next one, whichever log call let it through.
 */
public final class OneLineMessageConverter extends MessageConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return LogValues.oneLine(super.convert(event));
  }
}
