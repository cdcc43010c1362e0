package dev.switchboard.app;

import dev.switchboard.app.config.ConfigurationError;
import dev.switchboard.inventory.api.InventoryVerticle;
import dev.switchboard.notifications.api.NotificationsVerticle;
import dev.switchboard.orders.api.OrdersVerticle;
import dev.switchboard.payments.api.PaymentsVerticle;
import dev.switchboard.runtime.Eventing;
import io.vertx.core.Deployable;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The business modules a node can deploy, by the names used in the {@code modules} setting. */
final class Modules {

  private static final Map<String, Function<Eventing, Deployable>> ALL = new LinkedHashMap<>();

  static {
    ALL.put("orders", OrdersVerticle::new);
    ALL.put("inventory", InventoryVerticle::create);
    ALL.put("payments", PaymentsVerticle::create);
    ALL.put("notifications", NotificationsVerticle::create);
  }

  private Modules() {
  }

  static void checkKnown(List<String> names) {
    for (String name : names) {
      if (!ALL.containsKey(name)) {
        throw new ConfigurationError("modules lists \"" + name + "\"; known modules are " + ALL.keySet());
      }
    }
  }

  static Deployable create(String name, Eventing eventing) {
    return ALL.get(name).apply(eventing);
  }
}
