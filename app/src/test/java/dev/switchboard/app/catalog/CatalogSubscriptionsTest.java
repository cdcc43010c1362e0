package dev.switchboard.app.catalog;

import dev.switchboard.app.TestNode;
import dev.switchboard.contracts.EventType;
import dev.switchboard.contracts.Subscriptions;
import dev.switchboard.inventory.api.InventorySettings;
import dev.switchboard.inventory.application.StockKeeping;
import dev.switchboard.notifications.application.Notifying;
import dev.switchboard.notifications.channel.LogChannel;
import dev.switchboard.orders.application.OrderStream;
import dev.switchboard.orders.saga.OrderSaga;
import dev.switchboard.payments.api.PaymentsSettings;
import dev.switchboard.payments.application.Authorising;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.EventConsumer;
import dev.switchboard.runtime.store.EventStore;
import dev.switchboard.runtime.testing.DefaultConfig;
import dev.switchboard.runtime.testing.DefaultShop;
import dev.switchboard.runtime.testing.TestStores;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.switchboard.runtime.testing.Await.result;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The catalog's "who consumes what" ({@link Subscriptions}) is a declaration, because every node must
 * serve it whatever modules it runs. These tests hold it to the code: to the consumers the modules
 * build, and to what a running node actually subscribes.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class CatalogSubscriptionsTest {

  /** The retry series a node exports at zero for every (consumer, type) it subscribes at start. */
  private static final Pattern SUBSCRIBED =
      Pattern.compile("^switchboard_consumer_retries_total\\{.*?consumer=\"([^\"]+)\".*?type=\"([^\"]+)\"", Pattern.MULTILINE);

  @TempDir
  Path dir;

  @Test
  void each_module_consumer_is_declared_under_its_module_with_exactly_the_types_it_handles(Vertx vertx) {
    EventStore store = result(TestStores.embedded(vertx, dir));
    try {
      Map<String, List<EventConsumer>> built = consumersAsTheModulesBuildThem(store);

      Set<String> actual = new TreeSet<>();
      built.forEach((module, consumers) -> consumers.forEach(consumer -> consumer.types().forEach(type ->
          actual.add(module + " / " + consumer.name() + " / " + type))));
      Set<String> declared = new TreeSet<>();
      Subscriptions.ALL.forEach(subscription -> subscription.types().forEach(type ->
          declared.add(subscription.module() + " / " + subscription.consumer() + " / " + type.name())));

      assertThat(declared).isEqualTo(actual);
    } finally {
      result(store.close());
    }
  }

  @Test
  void a_node_with_every_module_subscribes_exactly_the_declared_consumers_to_the_declared_types(Vertx vertx) {
    TestNode node = TestNode.start(vertx, TestNode.config(dir));
    try {
      HttpResponse<Buffer> metrics = node.get("/metrics");
      assertThat(metrics.statusCode()).isEqualTo(200);

      Map<String, Set<String>> subscribed = new TreeMap<>();
      Matcher series = SUBSCRIBED.matcher(metrics.bodyAsString());
      while (series.find()) {
        subscribed.computeIfAbsent(series.group(1), consumer -> new TreeSet<>()).add(series.group(2));
      }
      Map<String, Set<String>> declared = Subscriptions.ALL.stream().collect(Collectors.toMap(
          Subscriptions.Subscription::consumer,
          subscription -> subscription.types().stream().map(EventType::name).collect(Collectors.toCollection(TreeSet::new)),
          (a, b) -> a, TreeMap::new));

      assertThat(subscribed).isEqualTo(declared);
    } finally {
      node.stop();
    }
  }

  /** Every module's consumers, built the way its verticle builds them (settings at their defaults). */
  private static Map<String, List<EventConsumer>> consumersAsTheModulesBuildThem(EventStore store) {
    EventFactory events = EventFactory.system();
    return Map.of(
        "orders", List.of(new OrderSaga(new OrderStream(store, events, DefaultShop.upcasters())).consumer()),
        "inventory", List.of(new StockKeeping(store, events,
            InventorySettings.from(DefaultConfig.section(new JsonObject(), "inventory")), DefaultShop.upcasters())
            .consumer()),
        "payments", List.of(new Authorising(store, events,
            PaymentsSettings.from(DefaultConfig.section(new JsonObject(), "payments"))).consumer()),
        "notifications", List.of(new Notifying(store, events, new LogChannel()).consumer()));
  }
}
