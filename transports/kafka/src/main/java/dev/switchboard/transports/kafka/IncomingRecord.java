package dev.switchboard.transports.kafka;

import dev.switchboard.runtime.transport.delivery.Incoming;

import java.util.Set;

/** A consumed record as the runtime classifies it (see {@link Incoming}): its value, and the module whose topic it came on. */
final class IncomingRecord {

  /** Unreadable records are dead-lettered with Kafka's words: "the record has no value". */
  static final Incoming.Wording WORDING = new Incoming.Wording("record", "value");

  private IncomingRecord() {
  }

  /**
   * @param value the record's value as it came; null for a record without one
   * @param topic the topic the record came on: the channel of one producing module
   */
  static Incoming classify(byte[] value, String topic, Set<String> subscribedTypes) {
    return Incoming.classify(value, Topics.moduleOf(topic), subscribedTypes, WORDING);
  }
}
