package dev.switchboard.runtime.config;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class ConfigSectionTest {

  private final ConfigSection section = ConfigSection.of("transport.example", new JsonObject()
      .put("name", "broker").put("count", 3).put("millis", 5_000_000_000L).put("on", true)
      .put("nested", new JsonObject().put("a", 1)).put("half", 2.5).put("huge", 1L << 40).put("words", "three"));

  @Test
  void each_key_is_read_as_its_type() {
    assertThat(section.text("name")).isEqualTo("broker");
    assertThat(section.integer("count")).isEqualTo(3);
    assertThat(section.wholeNumber("millis")).isEqualTo(5_000_000_000L);
    assertThat(section.wholeNumber("count")).isEqualTo(3L);
    assertThat(section.number("half")).isEqualTo(2.5);
    assertThat(section.flag("on")).isTrue();
    assertThat(section.object("nested")).isEqualTo(new JsonObject().put("a", 1));
  }

  @Test
  void a_value_that_cannot_work_is_refused_naming_its_key() {
    section.require(true, "count", "must be odd");
    assertThatThrownBy(() -> section.require(false, "count", "must be even (was 3)"))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("transport.example.count must be even (was 3)");
  }

  @Test
  void a_missing_key_is_named_with_its_section() {
    assertThatThrownBy(() -> section.integer("absent")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transport.example.absent is missing (config/default.json gives every key its default)");
    assertThatThrownBy(() -> ConfigSection.of("transport.example", null)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transport.example is missing from the configuration");
  }

  @Test
  void a_value_of_the_wrong_kind_is_named_with_the_kind_it_was_never_its_value() {
    ConfigSection secrets = ConfigSection.of("transport.example", new JsonObject()
        .put("password", 123456).put("jaas", new JsonObject().put("password", "s3cret")));
    assertThatThrownBy(() -> secrets.text("password")).hasMessage("transport.example.password must be a string (was a number)");
    assertThatThrownBy(() -> secrets.text("jaas")).hasMessage("transport.example.jaas must be a string (was an object)")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void a_value_of_the_wrong_kind_is_named_with_what_it_was() {
    assertThatThrownBy(() -> section.integer("words")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("transport.example.words must be a whole number (was a string)");
    assertThatThrownBy(() -> section.wholeNumber("half"))
        .hasMessage("transport.example.half must be a whole number (was 2.5)");
    assertThatThrownBy(() -> section.integer("huge"))
        .hasMessage("transport.example.huge is out of range (was 1099511627776)");
    assertThatThrownBy(() -> section.number("words")).hasMessage("transport.example.words must be a number (was a string)");
    assertThatThrownBy(() -> section.flag("name")).hasMessage("transport.example.name must be true or false (was a string)");
    assertThatThrownBy(() -> section.text("count")).hasMessage("transport.example.count must be a string (was a number)");
    assertThatThrownBy(() -> section.object("name")).hasMessage("transport.example.name must be an object (was a string)");
  }
}
