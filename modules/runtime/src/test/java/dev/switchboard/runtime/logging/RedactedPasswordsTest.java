package dev.switchboard.runtime.logging;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RedactedPasswordsTest {

  @Test
  void the_password_of_a_uri_is_masked_wherever_it_stands_in_the_text() {
    assertThat(LogValues.redact("Cannot parse invalid connection URI: postgresql://app:s3cret@db:54x2/orders"))
        .isEqualTo("Cannot parse invalid connection URI: postgresql://app:***@db:54x2/orders");
    assertThat(LogValues.redact("amqps://guest:p@ss/word@rabbit.example:5671/vhost"))
        .isEqualTo("amqps://guest:***@rabbit.example:5671/vhost");
    assertThat(LogValues.redact("in the part \"password=s3cret&sslmode\"")).isEqualTo("in the part \"password=***&sslmode\"");
  }

  @Test
  void a_uri_without_a_password_is_left_as_it_is() {
    assertThat(LogValues.redact("postgresql://postgres@127.0.0.1:5432/test"))
        .isEqualTo("postgresql://postgres@127.0.0.1:5432/test");
    assertThat(LogValues.redact(null)).isNull();
  }
}
