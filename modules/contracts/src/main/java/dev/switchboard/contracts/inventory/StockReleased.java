package dev.switchboard.contracts.inventory;

import java.util.List;

/** A reservation was given back (compensation), e.g. because payment was declined. */
public record StockReleased(String orderId, List<StockLine> lines, String reason) {
}
