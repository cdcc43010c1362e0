package dev.switchboard.contracts;

import java.util.List;
import java.util.stream.IntStream;

/**
 * One kind of event in the catalog: its name on the wire, the module that produces it, the Java
 * record of its {@code data}, the newest version of its JSON Schema (the one producers write and
 * the record has the shape of) and what each new version promises the readers of the one before.
 */
public record EventType<T extends Record>(String name, String module, int version, Class<T> dataClass,
                                          CompatibilityMode compatibility) {

  /** The CloudEvents {@code source} of events of this type, e.g. {@code /orders}. */
  public String source() {
    return "/" + module;
  }

  /** The CloudEvents {@code dataschema} of the newest version: names the schema and its version. */
  public String dataschema() {
    return dataschema(version);
  }

  public String dataschema(int schemaVersion) {
    return "urn:switchboard:schema:" + name + ":" + schemaVersion;
  }

  /** Every version ever published, oldest first: events of each are in logs and on brokers for good. */
  public List<Integer> versions() {
    return IntStream.rangeClosed(1, version).boxed().toList();
  }

  /** Where the schema of a version lives on the classpath of the contracts jar. */
  public String schemaResource(int schemaVersion) {
    return "schemas/" + name + "/v" + schemaVersion + ".json";
  }
}
