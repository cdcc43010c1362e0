package dev.switchboard.contracts.inventory;

/** A quantity of one product, as reserved or released for an order. */
public record StockLine(String productId, int quantity) {
}
