package dev.switchboard.transports.sqs;

import dev.switchboard.contracts.EventType;
import dev.switchboard.runtime.transport.wire.AsyncApi;
import dev.switchboard.runtime.transport.wire.Wire;
import dev.switchboard.runtime.transport.wire.WireFactory;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

/** {@code transport.type=sqs}: Amazon SQS (or ElasticMQ) as the node's broker. */
public final class SqsWireFactory implements WireFactory {

  @Override
  public String type() {
    return "sqs";
  }

  @Override
  public Wire create(Vertx vertx, JsonObject settings) {
    return new SqsWire(vertx, SqsSettings.from(settings));
  }

  @Override
  public void describe(AsyncApi doc) {
    SqsChannels.describe(doc);
  }

  @Override
  public JsonObject channelsOf(EventType<?> type) {
    return SqsChannels.of(type);
  }
}
