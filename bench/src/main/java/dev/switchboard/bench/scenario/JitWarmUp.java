package dev.switchboard.bench.scenario;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * Drives a node until the JIT has finished compiling its hot paths, so that what is measured next
 * is the steady state a running server is in, not a JVM still compiling: on two cores, C2 takes
 * most of a core for a minute or more, and a fixed warm-up of twenty seconds measured that half
 * (3.3 ms of CPU per order at 50% load against 1.5 ms once settled, in one run).
 *
 * <p>Settled means that the compilers spent less than {@link #SETTLED_SHARE} of a round's wall
 * time compiling; it gives up waiting after {@code atMost}, and says so.
 */
final class JitWarmUp {

  /** The share of one core the compilers may still take once settled (tiered compilation never quite stops). */
  static final double SETTLED_SHARE = 0.05;
  private static final Duration ROUND = Duration.ofSeconds(5);

  private final CompilationMXBean compilation = ManagementFactory.getCompilationMXBean();

  /** What the warm-up took, and whether the JIT settled within it. */
  record Outcome(Duration took, boolean settled) {
  }

  /** Runs closed loops of {@code clients} orders in flight, for {@code atLeast} and then until settled. */
  Outcome run(LoadDriver driver, int clients, Duration atLeast, Duration atMost) {
    long start = System.nanoTime();
    driver.closedLoop(clients, atLeast, Duration.ZERO);
    return untilSettled(() -> driver.closedLoop(clients, ROUND, Duration.ZERO), start, atMost);
  }

  /**
   * Runs open loops at {@code rate} until settled. The closed loops of the warm-up leave the paths an
   * open loop takes cold (the load generator's, and the node's at a lower load): measured at once,
   * the first seconds at 50% ran beside the compilers taking a whole core (2.6 s of compiling in 4 s,
   * p99 by second 154 to 171 ms against 58 to 79 ms once compiled, in one run).
   */
  Outcome openLoops(LoadDriver driver, double rate, Duration atMost) {
    return untilSettled(() -> driver.openLoop(rate, ROUND), System.nanoTime(), atMost);
  }

  private Outcome untilSettled(Runnable round, long start, Duration atMost) {
    while (true) {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      if (!compilation.isCompilationTimeMonitoringSupported()) {
        return new Outcome(took, false);
      }
      long compiledBefore = compilation.getTotalCompilationTime();
      long roundStart = System.nanoTime();
      round.run();
      double share = (compilation.getTotalCompilationTime() - compiledBefore) / ((System.nanoTime() - roundStart) / 1e6);
      took = Duration.ofNanos(System.nanoTime() - start);
      if (share < SETTLED_SHARE) {
        return new Outcome(took, true);
      }
      if (took.compareTo(atMost) >= 0) {
        return new Outcome(took, false);
      }
    }
  }
}
