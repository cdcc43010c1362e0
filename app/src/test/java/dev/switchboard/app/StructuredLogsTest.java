package dev.switchboard.app;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.read.ListAppender;
import dev.switchboard.contracts.EventCatalog;
import dev.switchboard.contracts.EventEnvelope;
import dev.switchboard.contracts.TraceParent;
import dev.switchboard.contracts.payments.PaymentAuthorized;
import dev.switchboard.runtime.EventFactory;
import dev.switchboard.runtime.consumer.ConsumerRunner;
import dev.switchboard.runtime.store.ExpectedVersion;
import dev.switchboard.runtime.store.StreamAppend;
import dev.switchboard.runtime.store.Streams;
import dev.switchboard.runtime.store.UnitOfWork;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log lines of event handling carry the event's id, its correlation id and its trace id, and
 * with {@code logging.format=json} (logback-json.xml) each is a field of one JSON object per line, as
 * a log shipper would index it.
 */
@ExtendWith(VertxExtension.class)
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class StructuredLogsTest {

  @TempDir
  Path dir;

  private final ListAppender<ILoggingEvent> handlingLog = new ListAppender<>();
  private TestNode node;

  @BeforeEach
  void listen() {
    handlingLog.start();
    handlingLogger().addAppender(handlingLog);
  }

  @AfterEach
  void stop() {
    handlingLogger().detachAppender(handlingLog);
    if (node != null) {
      node.stop();
    }
  }

  @Test
  void a_failing_handling_logs_the_event_correlation_and_trace_ids_as_json_fields(Vertx vertx) throws Exception {
    node = TestNode.start(vertx, TestNode.config(dir));
    String ghost = "ghost-order";
    EventEnvelope poison = EventFactory.system().create(EventCatalog.PAYMENT_AUTHORIZED, ghost,
        new PaymentAuthorized(ghost, new BigDecimal("10")), new EventFactory.Cause("correlation-of-the-ghost", null));
    TestNode.await(node.store().commit(UnitOfWork.of(new StreamAppend(Streams.of(poison), ExpectedVersion.ANY,
        List.of(poison)))), "appending a payment for no order");

    List<ILoggingEvent> lines = TestNode.poll("the handling's failure to be logged", () -> linesAbout(poison),
        found -> !found.isEmpty());

    LoggerContext jsonLogging = jsonLogging();
    try {
      for (ILoggingEvent line : lines) {
        JsonObject json = new JsonObject(new String(encoder(jsonLogging).encode(line), StandardCharsets.UTF_8));
        assertThat(json.getString("eventId")).isEqualTo(poison.id());
        assertThat(json.getString("correlationId")).isEqualTo("correlation-of-the-ghost");
        assertThat(json.getString("traceId")).isEqualTo(poison.trace().map(TraceParent::traceId).orElseThrow());
        assertThat(json.getString("message")).contains("orders-saga", "PaymentAuthorized");
        assertThat(json.getString("level")).isIn("WARN", "ERROR");
      }
    } finally {
      jsonLogging.stop();
    }
  }

  private List<ILoggingEvent> linesAbout(EventEnvelope event) {
    return handlingLog.list.stream()
        .filter(line -> line.getKeyValuePairs() != null
            && line.getKeyValuePairs().stream().anyMatch(pair -> pair.key.equals("eventId") && event.id().equals(pair.value)))
        .toList();
  }

  /** The logging the fat jar configures for {@code logging.format=json}, in a context of its own. */
  private static LoggerContext jsonLogging() throws Exception {
    LoggerContext context = new LoggerContext();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(StructuredLogsTest.class.getClassLoader().getResource("logback-json.xml"));
    return context;
  }

  @SuppressWarnings("unchecked")
  private static ch.qos.logback.core.encoder.Encoder<ILoggingEvent> encoder(LoggerContext context) {
    OutputStreamAppender<ILoggingEvent> console =
        (OutputStreamAppender<ILoggingEvent>) context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDOUT");
    return console.getEncoder();
  }

  private static Logger handlingLogger() {
    return (Logger) LoggerFactory.getLogger(ConsumerRunner.class);
  }
}
