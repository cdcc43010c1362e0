package dev.switchboard.app;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.runtime.logging.LogValues;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.switchboard.app.TestNode.item;
import static dev.switchboard.app.TestNode.order;
import static org.assertj.core.api.Assertions.assertThat;

/** Log lines that input cannot forge, that do not say who a customer is, and that carry no password. */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class LogHygieneTest {

  private static final String CUSTOMER = "customer-secret-42";

  @TempDir
  Path dir;

  private final ListAppender<ILoggingEvent> everything = new ListAppender<>();
  private Level notificationsLevel;
  private TestNode node;

  @BeforeEach
  void listenToEveryLogger() {
    everything.start();
    root().addAppender(everything);
    // notifications are logged at INFO, which the tests' configuration leaves out
    notificationsLevel = notifications().getLevel();
    notifications().setLevel(Level.INFO);
  }

  @AfterEach
  void stop() {
    root().detachAppender(everything);
    notifications().setLevel(notificationsLevel);
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void a_line_break_in_a_logged_value_stays_on_its_line_in_the_text_format() throws Exception {
    LoggerContext textLogging = configured("logback-text.xml");
    try {
      Logger logger = textLogging.getLogger("test");
      LoggingEvent event = new LoggingEvent(Logger.class.getName(), logger, Level.WARN,
          "refused an order of {}", null, new Object[] {"c-1\n12:00:00.000 INFO  [main] Fake - paid\r"});
      event.addKeyValuePair(new KeyValuePair("eventId", "e-1\nforged=yes"));

      String line = new String(encoder(textLogging).encode(event), StandardCharsets.UTF_8);

      assertThat(line).endsWith(System.lineSeparator());
      assertThat(line.substring(0, line.length() - System.lineSeparator().length())).doesNotContain("\n", "\r")
          .contains("c-1\\n12:00:00.000 INFO", "e-1\\nforged=yes");
    } finally {
      textLogging.stop();
    }
  }

  @Test
  void a_customer_id_never_reaches_the_log_and_one_with_a_line_break_is_refused(Vertx vertx) {
    node = TestNode.start(vertx, TestNode.config(dir));
    String orderId = node.place(order(CUSTOMER, item("sku-1", 1, 10)));
    node.awaitFinal(orderId);
    HttpResponse<Buffer> forged = node.post("/orders", order("c-1\n12:00:00.000 INFO forged", item("sku-1", 1, 10)));

    List<ILoggingEvent> notified = TestNode.poll("the confirmation to be logged", () -> everything.list.stream()
        .filter(line -> line.getLoggerName().equals("switchboard.notifications")).toList(), found -> !found.isEmpty());

    assertThat(forged.statusCode()).isEqualTo(400);
    assertThat(notified.get(0).getFormattedMessage()).contains(LogValues.customer(CUSTOMER));
    for (ILoggingEvent line : List.copyOf(everything.list)) {
      String text = line.getFormattedMessage() + " " + line.getKeyValuePairs();
      assertThat(text).doesNotContain(CUSTOMER).doesNotContain("forged");
    }
  }

  private static Logger root() {
    return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
  }

  private static Logger notifications() {
    return (Logger) LoggerFactory.getLogger("switchboard.notifications");
  }

  /** The logging the fat jar configures from {@code resource}, in a context of its own. */
  private static LoggerContext configured(String resource) throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(LogHygieneTest.class.getClassLoader().getResource(resource));
    return context;
  }

  @SuppressWarnings("unchecked")
  private static ch.qos.logback.core.encoder.Encoder<ILoggingEvent> encoder(LoggerContext context) {
    OutputStreamAppender<ILoggingEvent> console =
        (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    return console.getEncoder();
  }
}
