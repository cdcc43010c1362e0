package dev.switchboard.runtime.store;

/** Names one read-model document. */
public record DocumentKey(String collection, String id) {
}
