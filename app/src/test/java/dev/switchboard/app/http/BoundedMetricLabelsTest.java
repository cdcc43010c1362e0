package dev.switchboard.app.http;

import dev.switchboard.app.TestNode;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A caller inventing HTTP methods cannot mint new metric series: they count as {@code other}. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class BoundedMetricLabelsTest {

  @TempDir
  Path dir;

  private TestNode node;

  @AfterEach
  void stopTheNode() {
    if (node != null) {
      node.stopWithItsVertx();
    }
  }

  @Test
  void requests_with_made_up_methods_are_counted_under_other() {
    node = TestNode.startAsTheAppDoes(TestNode.config(dir, new JsonObject()));
    for (int i = 0; i < 5; i++) {
      int status = node.request(HttpMethod.valueOf("MADEUP" + i), "/orders").statusCode();
      assertThat(status).isBetween(400, 499);
    }
    assertThat(node.get("/health/live").statusCode()).isEqualTo(200);

    String metrics = TestNode.poll("the requests to be counted", () -> node.get("/metrics").bodyAsString(),
        text -> text.contains("method=\"other\"") && text.contains("method=\"GET\""));

    assertThat(metrics).doesNotContain("MADEUP");
  }
}
