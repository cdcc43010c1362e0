package dev.switchboard.contracts.orders;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Where an order is to be delivered. {@code country} is an ISO 3166-1 alpha-2 code ({@code DE},
 * {@code FR}); {@code postalCode} may be absent, as some countries have none.
 */
public record ShippingAddress(String recipient, String street, String city,
                              @JsonInclude(JsonInclude.Include.NON_NULL) String postalCode, String country) {
}
