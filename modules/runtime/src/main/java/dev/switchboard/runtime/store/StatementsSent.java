package dev.switchboard.runtime.store;

/**
 * What a store has sent its database so far, for measurements (the bench's statements per order).
 *
 * @param writerStatements  statements the writer ran, those that begin and commit its transactions
 *                          included
 * @param writerRoundTrips  times the writer waited for a database server: a statement sent while none
 *                          is awaited starts one, those pipelined behind it share it; 0 for a store
 *                          in the process (SQLite), which makes none
 * @param reads             queries run outside the writer, each a round trip of its own to a server
 *                          (a read tried again on another connection counts twice)
 * @param transactions      transactions the writer committed
 */
public record StatementsSent(long writerStatements, long writerRoundTrips, long reads, long transactions) {

  /** A store that counts what it sends its database: the bench reads it before and after a run. */
  public interface Counted {
    StatementsSent statementsSent();
  }
}
