package dev.switchboard.runtime.testing;

import dev.switchboard.contracts.EventUpcasters;
import io.vertx.core.json.JsonObject;

/**
 * The shop {@code config/default.json} describes, for tests that build a module's parts by hand
 * rather than through a node: the values a node would read from the configuration, read from the
 * same file, so that none is written a second time in code.
 */
public final class DefaultShop {

  private DefaultShop() {
  }

  /** {@code orders.currency}: the shop's currency, and what an order placed before v2 is read in. */
  public static String currency() {
    return DefaultConfig.section(new JsonObject(), "orders").getString("currency");
  }

  /**
   * The catalog's upcasters for the shop ({@link #currency()}): one instance, as a node has, so that
   * what is decoded once per instance (a stored event's data) is shared as on a node.
   */
  public static EventUpcasters upcasters() {
    return Upcasters.OF_THE_SHOP;
  }

  private static final class Upcasters {
    static final EventUpcasters OF_THE_SHOP = EventUpcasters.forShop(currency());
  }

  /** {@code consumers.deadLetters.maxRawBytes}. */
  public static int deadLetterMaxRawBytes() {
    return DefaultConfig.section(new JsonObject(), "consumers", "deadLetters").getInteger("maxRawBytes");
  }
}
