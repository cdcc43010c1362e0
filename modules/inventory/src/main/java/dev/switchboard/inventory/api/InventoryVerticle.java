package dev.switchboard.inventory.api;

import dev.switchboard.inventory.application.PriceList;
import dev.switchboard.inventory.application.StockKeeping;
import dev.switchboard.inventory.readmodel.StockView;
import dev.switchboard.runtime.ConsumerVerticle;
import dev.switchboard.runtime.Eventing;
import io.vertx.core.Deployable;

import java.util.List;

/** The inventory module: reserves and releases stock as orders come and payments fail. */
public final class InventoryVerticle {

  private InventoryVerticle() {
  }

  public static Deployable create(Eventing eventing) {
    return new ConsumerVerticle(eventing,
        config -> List.of(new StockKeeping(eventing.store(), eventing.events(), InventorySettings.from(config),
            eventing.upcasters()).consumer()),
        config -> List.of(StockView.readModel(InventorySettings.from(config).initialStock())),
        config -> new PriceList(eventing.vertx(), eventing.store(), eventing.events(), eventing.retry(),
            InventorySettings.from(config).prices()).publishChanges());
  }
}
