package dev.switchboard.stores.embedded;

import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer's memory of versions follows its transaction: known only once committed. */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class KnownVersionsTest {

  private final KnownVersions<String, Long> versions = new KnownVersions<>(100);

  @Test
  void a_version_staged_by_a_write_is_seen_by_later_writes_of_its_batch_and_known_once_the_batch_commits() {
    versions.stage("s", 1L);
    assertThat(versions.find("s")).as("by the write itself").isEqualTo(1L);
    versions.workReleased();
    assertThat(versions.find("s")).as("by the next write of the batch").isEqualTo(1L);

    assertThat(versions.committed("s")).as("by a reader, before the commit").isNull();

    versions.batchCommitted();

    assertThat(versions.find("s")).isEqualTo(1L);
    assertThat(versions.committed("s")).as("by a reader").isEqualTo(1L);
  }

  @Test
  void a_write_rolled_back_to_its_savepoint_loses_what_it_staged_and_nothing_else() {
    commit("s", 1);
    versions.stage("s", 2L);
    versions.stage("t", 1L);
    versions.workReleased();
    versions.stage("s", 3L);
    versions.stage("u", 1L);

    versions.workRolledBack();

    assertThat(versions.find("s")).as("what the released write staged").isEqualTo(2L);
    assertThat(versions.find("t")).isEqualTo(1L);
    assertThat(versions.find("u")).isNull();
    versions.batchCommitted();
    assertThat(versions.find("s")).isEqualTo(2L);
    assertThat(versions.find("u")).isNull();
  }

  @Test
  void a_batch_rolled_back_loses_what_it_staged_and_forgets_what_was_known_of_the_keys_it_touched() {
    commit("s", 4);
    commit("untouched", 7);
    versions.stage("s", 5L);
    versions.stage("new", 1L);
    versions.workReleased();
    versions.stage("t", 2L); // the write under way when the batch failed

    versions.batchRolledBack();

    assertThat(versions.find("s")).as("read from the file again").isNull();
    assertThat(versions.find("new")).isNull();
    assertThat(versions.find("t")).isNull();
    assertThat(versions.find("untouched")).isEqualTo(7L);
    versions.batchCommitted();
    assertThat(versions.find("s")).as("nothing of the failed batch comes back").isNull();
  }

  @Test
  void a_forgotten_key_is_forgotten_at_once_whether_staged_or_known() {
    commit("known", 1);
    versions.stage("released", 1L);
    versions.workReleased();
    versions.stage("staged", 1L);

    versions.forget("known");
    versions.forget("released");
    versions.forget("staged");
    versions.workReleased();
    versions.batchCommitted();

    assertThat(versions.find("known")).isNull();
    assertThat(versions.find("released")).isNull();
    assertThat(versions.find("staged")).isNull();
  }

  @Test
  void beyond_its_capacity_it_forgets_the_keys_used_least_recently() {
    KnownVersions<String, Long> small = new KnownVersions<>(2);
    small.stage("a", 1L);
    small.stage("b", 1L);
    small.workReleased();
    small.batchCommitted();
    small.find("a");
    small.stage("c", 1L);
    small.workReleased();

    small.batchCommitted();

    assertThat(small.find("a")).isEqualTo(1L);
    assertThat(small.find("b")).isNull();
    assertThat(small.find("c")).isEqualTo(1L);
  }

  private void commit(String key, long version) {
    versions.stage(key, version);
    versions.workReleased();
    versions.batchCommitted();
  }
}
