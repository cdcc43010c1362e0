package dev.switchboard.app.logging;

import ch.qos.logback.classic.pattern.KeyValuePairConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.switchboard.runtime.logging.LogValues;

/** {@code %oneLineKvp}: the key-value pairs (event and correlation ids, which a broker's producer chose) on one line. */
public final class OneLineKeyValuesConverter extends KeyValuePairConverter {

  @Override
  public String convert(ILoggingEvent event) {
    return LogValues.oneLine(super.convert(event));
  }
}
