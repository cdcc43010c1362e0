package dev.switchboard.runtime.store;

/** A listener's registration with a store: cancelled, the store calls the listener no more and lets go of it. */
@FunctionalInterface
public interface Registration {

  /** Stops calling the listener; cancelling twice does nothing more. */
  void cancel();
}
