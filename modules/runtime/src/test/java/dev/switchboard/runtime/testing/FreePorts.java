package dev.switchboard.runtime.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for the servers a test starts (nodes, their cluster members, proxies, brokers). A port from
 * {@code new ServerSocket(0)} is one of the ephemeral range the kernel also hands to outgoing
 * connections, so a connection made between the pick and the server's bind (to PostgreSQL, by the
 * very process being started) can take it: a cluster node then failed to start, its Hazelcast port
 * "already in use". These are picked below that range instead, free when picked, and never the same
 * twice in one JVM.
 */
public final class FreePorts {

  private static final Path EPHEMERAL_RANGE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
  /** Linux's default start of the ephemeral range, where it cannot be read. */
  private static final int DEFAULT_EPHEMERAL_START = 32_768;
  private static final int SPAN = 12_000;
  private static final int LOWEST = 1_024;
  private static final int ATTEMPTS = 200;
  private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

  private FreePorts() {
  }

  /** A port no server listens on now, below the ephemeral range, not handed out before in this JVM. */
  public static int pick() throws IOException {
    int end = ephemeralStart();
    int start = Math.max(LOWEST, end - SPAN);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      int port = ThreadLocalRandom.current().nextInt(start, end);
      if (!HANDED_OUT.contains(port) && isFree(port) && HANDED_OUT.add(port)) {
        return port;
      }
    }
    throw new IOException("no free port found between " + start + " and " + end + " in " + ATTEMPTS + " attempts");
  }

  private static boolean isFree(int port) {
    try (ServerSocket probe = new ServerSocket(port)) { // every address: what any server of the port would need
      return probe.getLocalPort() == port;
    } catch (IOException taken) {
      return false;
    }
  }

  /** Read line by line: {@code Files.readString} takes procfs's file size of 0 at its word and reads a byte. */
  private static int ephemeralStart() {
    try {
      int start = Integer.parseInt(Files.readAllLines(EPHEMERAL_RANGE).get(0).trim().split("\\s+")[0]);
      return start > LOWEST + SPAN / 4 ? start : DEFAULT_EPHEMERAL_START;
    } catch (IOException | RuntimeException unknown) {
      return DEFAULT_EPHEMERAL_START;
    }
  }
}
