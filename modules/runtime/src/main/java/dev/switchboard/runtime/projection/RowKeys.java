package dev.switchboard.runtime.projection;

import dev.switchboard.runtime.consumer.Received;

import java.util.Collection;

/**
 * The ids of the rows a projector reads for an event (a stock row per product the event names), so
 * that a batch reads every row its events will ask for in one query before it projects them.
 */
@FunctionalInterface
public interface RowKeys<T extends Record> {

  Collection<String> of(Received<T> event);
}
