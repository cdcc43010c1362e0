package dev.switchboard.transports.sqs;

/**
 * The wire test kit again, with an in-flight bound that takes three receives at once to fill: order,
 * back-pressure and lag hold with several long polls on their way.
 */
class SqsWireConcurrentReceivesContractIT extends SqsWireContractIT {

  @Override
  protected int maxInFlight() {
    return 24;
  }
}
