package dev.switchboard.transports.kafka.testing;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The test broker itself: it starts, keeps its port and data across a restart, and goes away. */
class KafkaBrokerIT {

  @Test
  void a_restarted_broker_answers_on_the_same_port_with_the_topics_it_had() throws Exception {
    try (KafkaBroker broker = new KafkaBroker()) {
      broker.start();
      String address = broker.bootstrapServers();
      try (Admin admin = admin(address)) {
        admin.createTopics(List.of(new NewTopic("kept", 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
      }

      broker.restart();

      assertThat(broker.bootstrapServers()).isEqualTo(address);
      try (Admin admin = admin(address)) {
        assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).contains("kept");
      }
      broker.stop();
      assertThat(broker.isRunning()).isFalse();
    }
  }

  private static Admin admin(String bootstrapServers) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }
}
