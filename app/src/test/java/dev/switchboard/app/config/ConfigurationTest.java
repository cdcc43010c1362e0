package dev.switchboard.app.config;

import dev.switchboard.app.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * How a node's configuration is built (DESIGN.md section 5): {@code config/default.json}, then each
 * {@code --config} profile (later wins, merged deeply), then one {@code SWITCHBOARD_<PATH>} variable
 * per key; and a node refuses to start on a configuration it cannot run.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfigurationTest {

  @TempDir
  Path dir;

  // ---- defaults ------------------------------------------------------------------------------

  @Test
  void the_defaults_load_with_every_section() {
    JsonObject config = Configuration.defaults();

    assertThat(config.getJsonObject("http").getValue("port")).isEqualTo(8080);
    assertThat(config.getJsonObject("http").getInteger("maxBodyBytes")).isEqualTo(65536);
    assertThat(config.getJsonArray("modules")).containsExactly("orders", "inventory", "payments", "notifications");
    assertThat(config.getJsonObject("store").getString("type")).isEqualTo("embedded");
    assertThat(config.getJsonObject("store").getJsonObject("embedded").getString("path")).isEqualTo("data/switchboard.db");
    assertThat(config.getJsonObject("transport").getString("type")).isEqualTo("local");
    assertThat(config.getJsonObject("orders").getInteger("maxItems")).isEqualTo(100);
    assertThat(config.getJsonObject("payments").getInteger("maxAmount")).isEqualTo(10000);
    JsonObject stock = config.getJsonObject("inventory").getJsonObject("initialStock");
    assertThat(stock.fieldNames()).containsExactlyInAnyOrder("sku-1", "sku-2", "sku-3", "sku-4", "sku-5");
    assertThat(stock.getInteger("sku-3")).isEqualTo(1_000_000);
  }

  @Test
  void the_defaults_on_the_classpath_are_config_default_json() throws IOException {
    // the jar carries config/default.json, so that it runs from any directory
    JsonObject onDisk = new JsonObject(Files.readString(Path.of("..", "config", "default.json")));

    assertThat(Configuration.defaults()).isEqualTo(onDisk);
  }

  @Test
  void with_no_profile_and_no_variable_the_configuration_is_the_defaults() {
    JsonObject config = Configuration.load(List.of(), Map.of("PATH", "/usr/bin", "HOME", "/root", "SWITCHBOARDX_HTTP_PORT", "1"));

    assertThat(config).isEqualTo(Configuration.defaults());
  }

  @Test
  void each_load_is_a_fresh_copy() {
    Configuration.defaults().getJsonObject("http").put("port", 1);

    assertThat(Configuration.defaults().getJsonObject("http").getInteger("port")).isEqualTo(8080);
  }

  // ---- --config profiles ---------------------------------------------------------------------

  @Test
  void a_profile_overrides_deeply_and_keeps_every_other_key() throws IOException {
    Path profile = write("profile.json", new JsonObject()
        .put("http", new JsonObject().put("port", 9000))
        .put("store", new JsonObject().put("embedded", new JsonObject().put("synchronous", "NORMAL")))
        .put("inventory", new JsonObject().put("initialStock", new JsonObject().put("sku-9", 3))));

    JsonObject config = Configuration.load(List.of(profile), Map.of());

    JsonObject defaults = Configuration.defaults();
    assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(9000);
    assertThat(config.getJsonObject("http").getString("host")).isEqualTo("127.0.0.1");
    assertThat(config.getJsonObject("http").getInteger("maxBodyBytes")).isEqualTo(65536);
    JsonObject embedded = config.getJsonObject("store").getJsonObject("embedded");
    assertThat(embedded.getString("synchronous")).isEqualTo("NORMAL");
    assertThat(embedded.getString("path")).isEqualTo("data/switchboard.db");
    assertThat(embedded.getInteger("readers")).isEqualTo(4);
    assertThat(config.getJsonObject("store").getString("type")).isEqualTo("embedded");
    assertThat(config.getJsonObject("inventory").getJsonObject("initialStock").getInteger("sku-9")).isEqualTo(3);
    assertThat(config.getJsonObject("inventory").getJsonObject("initialStock").getInteger("sku-1")).isEqualTo(1_000_000);
    assertThat(config.getJsonObject("payments")).isEqualTo(defaults.getJsonObject("payments"));
    assertThat(config.getJsonArray("modules")).isEqualTo(defaults.getJsonArray("modules"));
    assertThat(config.fieldNames()).containsExactlyInAnyOrderElementsOf(defaults.fieldNames());
  }

  @Test
  void of_several_profiles_the_later_wins() throws IOException {
    Path first = write("first.json", new JsonObject()
        .put("http", new JsonObject().put("port", 9001).put("requestTimeoutMillis", 500)));
    Path second = write("second.json", new JsonObject().put("http", new JsonObject().put("port", 9002)));

    JsonObject config = Configuration.load(List.of(first, second), Map.of());

    assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(9002);
    assertThat(config.getJsonObject("http").getInteger("requestTimeoutMillis")).isEqualTo(500);
    assertThat(Configuration.load(List.of(second, first), Map.of()).getJsonObject("http").getInteger("port"))
        .isEqualTo(9001);
  }

  @Test
  void a_variable_wins_over_a_profile() throws IOException {
    Path profile = write("profile.json", new JsonObject().put("http", new JsonObject().put("port", 9000)));

    JsonObject config = Configuration.load(List.of(profile), Map.of("SWITCHBOARD_HTTP_PORT", "9090"));

    assertThat(config.getJsonObject("http").getInteger("port")).isEqualTo(9090);
  }

  @Test
  void a_missing_profile_is_an_error_naming_the_file() {
    Path missing = dir.resolve("nowhere.json");

    assertThatThrownBy(() -> Configuration.load(List.of(missing), Map.of()))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("nowhere.json");
  }

  @Test
  void a_profile_that_is_not_a_json_object_is_an_error_naming_the_file() throws IOException {
    Path broken = Files.writeString(dir.resolve("broken.json"), "{\"http\": {\"port\": ");
    Path array = Files.writeString(dir.resolve("array.json"), "[1, 2]");

    assertThatThrownBy(() -> Configuration.load(List.of(broken), Map.of()))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("broken.json");
    assertThatThrownBy(() -> Configuration.load(List.of(array), Map.of()))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("array.json");
  }

  // ---- SWITCHBOARD_ variables ------------------------------------------------------------------

  @Test
  void SWITCHBOARD_HTTP_PORT_sets_http_port_as_a_number() {
    JsonObject config = Configuration.load(List.of(), Map.of("SWITCHBOARD_HTTP_PORT", "9090"));

    assertThat(config.getJsonObject("http").getValue("port")).isInstanceOf(Integer.class).isEqualTo(9090);
    assertThat(config.getJsonObject("http").getString("host")).isEqualTo("127.0.0.1");
    assertThat(config.getJsonObject("http").fieldNames())
        .containsExactlyInAnyOrderElementsOf(Configuration.defaults().getJsonObject("http").fieldNames());
  }

  @Test
  void SWITCHBOARD_MODULES_is_a_comma_separated_list() {
    JsonObject config = Configuration.load(List.of(), Map.of("SWITCHBOARD_MODULES", "orders,inventory"));

    assertThat(config.getValue("modules")).isInstanceOf(JsonArray.class);
    assertThat(config.getJsonArray("modules")).containsExactly("orders", "inventory");
  }

  @Test
  void list_items_are_trimmed_and_empty_ones_dropped() {
    JsonObject config = Configuration.load(List.of(), Map.of("SWITCHBOARD_MODULES", " payments , notifications,, "));

    assertThat(config.getJsonArray("modules")).containsExactly("payments", "notifications");
  }

  @Test
  void path_segments_match_keys_case_insensitively_and_add_no_key() {
    JsonObject config = Configuration.load(List.of(), Map.of("SWITCHBOARD_PAYMENTS_MAXAMOUNT", "500"));

    assertThat(config.getJsonObject("payments").getValue("maxAmount")).isEqualTo(500);
    assertThat(config.getJsonObject("payments").fieldNames()).containsExactly("maxAmount");
  }

  @Test
  void a_variable_reaches_keys_nested_three_deep_and_text_stays_text() {
    JsonObject config = Configuration.load(List.of(), Map.of(
        "SWITCHBOARD_STORE_EMBEDDED_SYNCHRONOUS", "NORMAL",
        "SWITCHBOARD_TRANSPORT_TYPE", "kafka",
        "SWITCHBOARD_TRANSPORT_LOCAL_POLLINTERVALMILLIS", "25"));

    assertThat(config.getJsonObject("store").getJsonObject("embedded").getString("synchronous")).isEqualTo("NORMAL");
    assertThat(config.getJsonObject("store").getJsonObject("embedded").getString("path")).isEqualTo("data/switchboard.db");
    assertThat(config.getJsonObject("transport").getString("type")).isEqualTo("kafka");
    assertThat(config.getJsonObject("transport").getJsonObject("local").getValue("pollIntervalMillis")).isEqualTo(25);
  }

  @ParameterizedTest
  @CsvSource({
      "SWITCHBOARD_HTTP_PROT, 9090",
      "SWITCHBOARD_NOSUCHSECTION, x",
      "SWITCHBOARD_NOSUCHSECTION_PORT, 1",
      "SWITCHBOARD_HTTP_PORT_NUMBER, 1",
      "SWITCHBOARD_, x",
  })
  void a_variable_naming_no_key_is_an_error_naming_the_variable(String variable, String value) {
    assertThatThrownBy(() -> Configuration.load(List.of(), Map.of(variable, value)))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining(variable);
  }

  @ParameterizedTest
  @CsvSource({
      "SWITCHBOARD_HTTP_PORT, ninety",
      "SWITCHBOARD_HTTP_PORT, 80.5",
      "SWITCHBOARD_HTTP_PORT, 99999999999",
      "SWITCHBOARD_PAYMENTS_MAXAMOUNT, lots",
      "SWITCHBOARD_ORDERS_MAXITEMS, ''",
  })
  void a_value_that_is_not_a_number_for_a_number_key_is_an_error_naming_the_variable(String variable, String value) {
    assertThatThrownBy(() -> Configuration.load(List.of(), Map.of(variable, value)))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining(variable)
        .hasMessageContaining("number");
  }

  @Test
  void a_variable_naming_a_group_of_settings_is_an_error() {
    assertThatThrownBy(() -> Configuration.load(List.of(), Map.of("SWITCHBOARD_HTTP", "9090")))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("SWITCHBOARD_HTTP");
  }

  // ---- command line (Main.profiles) -----------------------------------------------------------

  @Test
  void repeated_config_arguments_give_the_profiles_in_order() {
    assertThat(TestNode.profiles("--config", "a.json", "--config", "dir/b.json"))
        .containsExactly(Path.of("a.json"), Path.of("dir/b.json"));
    assertThat(TestNode.profiles()).isEmpty();
  }

  @Test
  void an_unknown_argument_is_refused() {
    assertThatThrownBy(() -> TestNode.profiles("--config", "a.json", "--verbose"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("--verbose");
    assertThatThrownBy(() -> TestNode.profiles("a.json"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("a.json");
  }

  @Test
  void config_without_a_file_is_refused() {
    assertThatThrownBy(() -> TestNode.profiles("--config"))
        .isInstanceOf(ConfigurationError.class)
        .hasMessageContaining("--config");
  }

  // ---- a node refuses what it cannot run ------------------------------------------------------

  @Test
  void a_node_refuses_a_module_it_does_not_know(Vertx vertx) {
    JsonObject config = TestNode.config(dir);
    config.put("modules", new JsonArray().add("orders").add("shipping"));

    assertThat(TestNode.startFailure(vertx, config)).isInstanceOf(ConfigurationError.class).hasMessageContaining("shipping");
  }

  @Test
  void a_node_refuses_a_store_or_a_transport_it_does_not_have(Vertx vertx) {
    JsonObject store = TestNode.config(dir);
    store.getJsonObject("store").put("type", "punched-cards");
    JsonObject transport = TestNode.config(dir);
    transport.getJsonObject("transport").put("type", "carrier-pigeon");

    assertThat(TestNode.startFailure(vertx, store)).isInstanceOf(ConfigurationError.class).hasMessageContaining("punched-cards");
    assertThat(TestNode.startFailure(vertx, transport)).isInstanceOf(ConfigurationError.class).hasMessageContaining("carrier-pigeon");
  }

  private Path write(String name, JsonObject content) throws IOException {
    return Files.writeString(dir.resolve(name), content.encodePrettily());
  }

  @Test
  void a_broken_profile_is_refused_without_the_password_of_a_uri_in_it(@TempDir Path dir) throws IOException {
    Path profile = Files.writeString(dir.resolve("broken.json"),
        "{\"store\": {\"postgres\": {\"uri\": \"postgresql://app:s3cret@db.example/orders\"}} oops");

    assertThatThrownBy(() -> Configuration.load(List.of(profile), Map.of()))
        .isInstanceOf(ConfigurationError.class).hasMessageContaining("broken.json").hasMessageNotContaining("s3cret");
  }
}
