package dev.switchboard.stores.embedded;

/** What the writer remembers of a document it wrote: its revision and its body, as the file holds it. */
record DocumentVersion(long revision, String body) {
}
