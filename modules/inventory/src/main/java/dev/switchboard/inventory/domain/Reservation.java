package dev.switchboard.inventory.domain;

import dev.switchboard.contracts.inventory.StockLine;
import dev.switchboard.contracts.inventory.StockReleased;
import dev.switchboard.contracts.inventory.StockReserved;
import dev.switchboard.contracts.inventory.StockUnavailable;

import java.util.List;

/**
 * What inventory decided for one order, rebuilt from the order's inventory stream. {@code version}
 * is the number of events in that stream.
 */
public record Reservation(Status status, List<StockLine> lines, long version) {

  public enum Status { NONE, RESERVED, UNAVAILABLE, RELEASED }

  public static final Reservation NONE = new Reservation(Status.NONE, List.of(), 0);

  public Reservation evolve(Record event) {
    if (event instanceof StockReserved reserved) {
      return new Reservation(Status.RESERVED, reserved.lines(), version + 1);
    }
    if (event instanceof StockUnavailable) {
      return new Reservation(Status.UNAVAILABLE, List.of(), version + 1);
    }
    if (event instanceof StockReleased) {
      return new Reservation(Status.RELEASED, lines, version + 1);
    }
    return new Reservation(status, lines, version + 1); // events of other kinds do not change it
  }

  public static Reservation replay(List<? extends Record> history) {
    Reservation reservation = NONE;
    for (Record event : history) {
      reservation = reservation.evolve(event);
    }
    return reservation;
  }
}
