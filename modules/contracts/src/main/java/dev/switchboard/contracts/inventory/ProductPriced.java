package dev.switchboard.contracts.inventory;

import java.math.BigDecimal;

/** The shop's catalog price of a product, from now on: what an order of it must be priced at. */
public record ProductPriced(String productId, BigDecimal unitPrice) {
}
