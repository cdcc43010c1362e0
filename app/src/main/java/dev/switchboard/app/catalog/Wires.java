package dev.switchboard.app.catalog;

import dev.switchboard.runtime.transport.wire.WireFactory;

import java.util.Comparator;
import java.util.List;
import java.util.ServiceLoader;

/** The brokers this build can run on, found as the node finds them: their wires, by transport type. */
final class Wires {

  private Wires() {
  }

  static List<WireFactory> available() {
    return ServiceLoader.load(WireFactory.class).stream().map(ServiceLoader.Provider::get)
        .sorted(Comparator.comparing(WireFactory::type)).toList();
  }
}
