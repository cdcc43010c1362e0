package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Grafana dashboard ({@code ops/grafana/switchboard.json}) and the alert rules
 * ({@code ops/prometheus/alerts.yml}) refer only to metrics a node exports: a renamed metric would
 * otherwise leave a blank panel or an alert that can never fire.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class OpsFilesTest {

  private static final Path OPS = Path.of("..", "ops");
  private static final Pattern METRIC = Pattern.compile("switchboard_[a-z_]+");

  @TempDir
  Path dir;

  private TestNode node;

  @AfterEach
  void stopTheNode() {
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void every_metric_the_dashboard_and_the_alerts_use_is_exported(Vertx vertx) throws IOException {
    String dashboard = Files.readString(OPS.resolve("grafana").resolve("switchboard.json"));
    String alerts = Files.readString(OPS.resolve("prometheus").resolve("alerts.yml"));
    JsonObject parsed = new JsonObject(dashboard);
    assertThat(parsed.getJsonArray("panels")).isNotEmpty();
    Set<String> used = new TreeSet<>();
    used.addAll(metricsIn(dashboard));
    used.addAll(metricsIn(alerts));
    assertThat(used).as("the files name metrics at all").hasSizeGreaterThan(5);

    node = TestNode.start(vertx, TestNode.config(dir));
    String orderId = node.place(order("customer-1", item("sku-1", 1, 10)));
    node.awaitFinal(orderId);
    node.awaitEvent(orderId, "NotificationSent");
    // gauges appear at their first reading, a moment after the node starts; fails, naming what was
    // exported, if any metric the files use is still missing after the poll's time
    TestNode.poll("every metric of " + used + " to be exported", this::exported, names -> names.containsAll(used));
  }

  @Test
  void every_alert_has_a_name_an_expression_and_a_summary() throws IOException {
    String alerts = Files.readString(OPS.resolve("prometheus").resolve("alerts.yml"));
    long rules = alerts.lines().filter(line -> line.trim().startsWith("- alert: ")).count();

    assertThat(rules).isGreaterThanOrEqualTo(4);
    assertThat(alerts.lines().filter(line -> line.trim().startsWith("expr: ")).count()).isEqualTo(rules);
    assertThat(alerts.lines().filter(line -> line.trim().startsWith("summary: ")).count()).isEqualTo(rules);
    assertThat(alerts).contains("switchboard_consumer_lag", "switchboard_dead_letters_total",
        "switchboard_outbox_oldest_age_seconds");
  }

  private Set<String> exported() {
    return node.get("/metrics").bodyAsString().lines()
        .filter(line -> line.startsWith("switchboard_"))
        .map(line -> line.split("[{ ]", 2)[0])
        .collect(Collectors.toCollection(TreeSet::new));
  }

  private static Set<String> metricsIn(String text) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = METRIC.matcher(text);
    while (matcher.find()) {
      names.add(matcher.group());
    }
    return names;
  }
}
