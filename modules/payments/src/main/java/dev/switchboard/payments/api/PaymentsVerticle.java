package dev.switchboard.payments.api;

import dev.switchboard.payments.application.Authorising;
import dev.switchboard.runtime.ConsumerVerticle;
import dev.switchboard.runtime.Eventing;
import io.vertx.core.Deployable;

import java.util.List;

/** The payments module: authorises or declines each order whose stock is reserved. */
public final class PaymentsVerticle {

  private PaymentsVerticle() {
  }

  public static Deployable create(Eventing eventing) {
    return new ConsumerVerticle(eventing,
        config -> List.of(new Authorising(eventing.store(), eventing.events(), PaymentsSettings.from(config)).consumer()),
        config -> List.of());
  }
}
