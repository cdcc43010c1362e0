package dev.switchboard.contracts;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayNameGeneration;
import org.junit.jupiter.api.DisplayNameGenerator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/**
 * The build's compatibility check of the event catalog (runs in {@code mvn verify}):
 * <ul>
 *   <li>a published schema file is never changed: its SHA-256 digest is in
 *       {@code src/test/resources/published-schemas.sha256};</li>
 *   <li>BACKWARD (and FULL): a sample of every older version reaches the newest through the
 *       upcasters, valid against the newest schema, and becomes the type's record;</li>
 *   <li>FORWARD (and FULL): a sample of the newest version is valid against the version before it
 *       and read by that version's reader ({@link PreviousReaders}), which ignores what is new.</li>
 * </ul>
 * Samples are {@code src/test/resources/samples/<Type>/v<N>.json}, one per version, each valid
 * against its own schema.
 */
@DisplayNameGeneration(DisplayNameGenerator.ReplaceUnderscores.class)
class SchemaCompatibilityTest {

  private static final Path SCHEMAS = Path.of("src/main/resources/schemas");
  private static final Path SAMPLES = Path.of("src/test/resources/samples");
  private static final Path MANIFEST = Path.of("src/test/resources/published-schemas.sha256");
  private static final EventSchemas VALIDATION = EventSchemas.load();
  private static final EventUpcasters UPCASTERS = EventUpcasters.forShop("EUR");

  @Test
  void no_published_schema_is_changed_removed_or_left_out_of_the_manifest() throws IOException {
    Map<String, String> published = manifest();
    Map<String, String> onDisk = digestsOnDisk();
    List<String> problems = new ArrayList<>();
    published.forEach((file, digest) -> {
      if (!onDisk.containsKey(file)) {
        problems.add(file + " was published and is gone: a published version stays for good");
      } else if (!onDisk.get(file).equals(digest)) {
        problems.add(file + " was changed after it was published: restore it and add a new version instead");
      }
    });
    onDisk.forEach((file, digest) -> {
      if (!published.containsKey(file)) {
        problems.add(file + " is not in " + MANIFEST + "; if it is a new version, publish it by adding the line: "
            + digest + "  " + file);
      }
    });
    assertThat(problems).isEmpty();
  }

  @Test
  void every_version_in_the_catalog_has_its_schema_file_and_no_file_is_beyond_the_newest() throws IOException {
    List<String> expected = new ArrayList<>();
    for (EventType<?> type : EventCatalog.ALL) {
      type.versions().forEach(version -> expected.add(type.name() + "/v" + version + ".json"));
    }
    assertThat(digestsOnDisk().keySet()).containsExactlyInAnyOrderElementsOf(expected);
  }

  @TestFactory
  Stream<DynamicTest> every_sample_is_valid_against_its_own_version() {
    return everyVersion().map(typeAndVersion -> DynamicTest.dynamicTest(typeAndVersion.toString(), () ->
        assertThatCode(() -> VALIDATION.validate(typeAndVersion.type().name(), typeAndVersion.version(),
            sample(typeAndVersion.type(), typeAndVersion.version()))).doesNotThrowAnyException()));
  }

  @TestFactory
  Stream<DynamicTest> backward_every_older_version_upcasts_to_a_valid_newest() {
    return everyVersion()
        .filter(older -> older.type().compatibility().backward() && older.version() < older.type().version())
        .map(older -> DynamicTest.dynamicTest(older + " to v" + older.type().version(), () -> {
          EventType<?> type = older.type();
          EventEnvelope upcast = UPCASTERS.upcast(envelope(type, older.version(), sample(type, older.version())));
          assertThat(upcast.dataversion()).isEqualTo(type.version());
          assertThatCode(() -> VALIDATION.validate(upcast)).doesNotThrowAnyException();
          assertThat(UPCASTERS.decode(upcast, type)).isInstanceOf(type.dataClass());
        }));
  }

  @TestFactory
  Stream<DynamicTest> forward_the_newest_version_is_read_by_the_reader_of_the_one_before() {
    return EventCatalog.ALL.stream()
        .filter(type -> type.compatibility().forward() && type.version() > 1)
        .map(type -> DynamicTest.dynamicTest(type.name() + " v" + type.version() + " read as v" + (type.version() - 1),
            () -> {
              int previous = type.version() - 1;
              JsonObject newest = sample(type, type.version());
              assertThatCode(() -> VALIDATION.validate(type.name(), previous, newest))
                  .as("a v%d event is valid against v%d's schema", type.version(), previous)
                  .doesNotThrowAnyException();
              Class<? extends Record> reader = PreviousReaders.of(type).orElseThrow(() -> new AssertionError(
                  "freeze the record of " + type.name() + " v" + previous + " in PreviousReaders"));
              assertThat(EventData.decode(newest, reader)).isInstanceOf(reader);
            }));
  }

  private record TypeAndVersion(EventType<?> type, int version) {
    @Override
    public String toString() {
      return type.name() + " v" + version;
    }
  }

  private static Stream<TypeAndVersion> everyVersion() {
    return EventCatalog.ALL.stream()
        .flatMap(type -> type.versions().stream().map(version -> new TypeAndVersion(type, version)));
  }

  private static JsonObject sample(EventType<?> type, int version) throws IOException {
    Path file = SAMPLES.resolve(type.name()).resolve("v" + version + ".json");
    assertThat(file).as("a sample of %s v%d", type.name(), version).exists();
    return new JsonObject(Files.readString(file));
  }

  private static EventEnvelope envelope(EventType<?> type, int version, JsonObject data) {
    return new EventEnvelope("sample", type.name(), type.source(), "order-1", "2024-01-01T00:00:00Z",
        type.dataschema(version), version, 1, "order-1", null, data);
  }

  /** {@code <Type>/v<N>.json} → digest, as the manifest lists them. */
  private static Map<String, String> manifest() throws IOException {
    Map<String, String> published = new TreeMap<>();
    for (String line : Files.readAllLines(MANIFEST)) {
      if (!line.isBlank() && !line.startsWith("#")) {
        String[] digestAndFile = line.trim().split("\\s+", 2);
        published.put(digestAndFile[1], digestAndFile[0]);
      }
    }
    return published;
  }

  private static Map<String, String> digestsOnDisk() throws IOException {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.walk(SCHEMAS)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        digests.put(SCHEMAS.relativize(file).toString().replace('\\', '/'), sha256(file));
      }
    }
    return digests;
  }

  /** Of the text with Unix line ends: a checkout that turns them into CRLF changes no schema. */
  private static String sha256(Path file) throws IOException {
    byte[] text = Files.readString(file).replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8);
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
