package dev.switchboard.stores.postgres;

/**
 * What a PostgreSQL store has sent the server so far, for measurements (the bench's statements and
 * round trips per order).
 *
 * @param writerStatements  statements the writer sent, {@code BEGIN} and {@code COMMIT} included
 * @param writerRoundTrips  times the writer waited for the server: a statement sent while none is
 *                          awaited starts one, those pipelined behind it share it
 * @param reads             queries sent on the read pool, each a round trip of its own (a read tried
 *                          again on another connection counts twice)
 */
public record StatementsSent(long writerStatements, long writerRoundTrips, long reads) {
}
