package dev.switchboard.contracts.inventory;

/** A product's available stock fell under its threshold; operations should restock. */
public record InventoryLow(String productId, int available, int threshold) {
}
