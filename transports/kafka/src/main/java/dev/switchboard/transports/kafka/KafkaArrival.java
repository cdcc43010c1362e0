package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.transport.wire.Arrival;
import io.vertx.core.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;

/**
 * One consumed record, as the runtime settles it. Acknowledging marks its offset handled, so that its
 * partition's committed position may pass it; releasing leaves it unhandled, so that the position
 * stays at it and the record is read again by whoever reads the partition next (after a close, a
 * rebalance or a crash). Kafka takes nothing back while a consumer reads on: the runtime releases
 * only as it closes.
 */
final class KafkaArrival implements Arrival {

  private static final String TYPE_HEADER = "ce_type";

  private final ConsumerRecord<String, byte[]> record;
  private final PartitionOffsets offsets;
  private final KafkaSource source;

  KafkaArrival(ConsumerRecord<String, byte[]> record, PartitionOffsets offsets, KafkaSource source) {
    this.record = record;
    this.offsets = offsets;
    this.source = source;
  }

  @Override
  public byte[] body() {
    return record.value();
  }

  /**
   * None: every module's events share one topic, so that an order's events keep their order, and the
   * topic cannot tell which module wrote a record. Only the event's source is checked; who may write the
   * topic at all is the broker's ACLs' to say (README, broker permissions).
   */
  @Override
  public String channelModule() {
    return null;
  }

  /** Its {@code ce_type} header: every consumer group reads every event of the topic, most to pass over. */
  @Override
  public String typeHeader() {
    Header type = record.headers().lastHeader(TYPE_HEADER);
    return type == null || type.value() == null ? null : new String(type.value(), StandardCharsets.UTF_8);
  }

  @Override
  public String where() {
    return coordinates(record);
  }

  /** False once its partition was revoked (its new owner reads it again) or its source closed. */
  @Override
  public boolean held() {
    return !offsets.isRevoked() && source.isOpen();
  }

  @Override
  public Future<Void> acknowledge() {
    if (held()) {
      try {
        source.onContext(() -> offsets.handled(record.offset()));
      } catch (RejectedExecutionException vertxClosed) {
        // the consumer went with its Vert.x and will commit nothing more: the record is read again, the inbox skips it
      }
    }
    return Future.succeededFuture();
  }

  @Override
  public Future<Void> release() {
    return Future.succeededFuture(); // unhandled, so never committed past: read again later
  }

  static String coordinates(ConsumerRecord<?, ?> record) {
    return record.topic() + "-" + record.partition() + "@" + record.offset();
  }
}
