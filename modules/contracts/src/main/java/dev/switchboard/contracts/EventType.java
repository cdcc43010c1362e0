package dev.switchboard.contracts;

/**
 * One kind of event in the catalog: its name on the wire, the module that produces it, the Java
 * record of its {@code data} and the current version of its JSON Schema.
 */
public record EventType<T extends Record>(String name, String module, int version, Class<T> dataClass) {

  /** The CloudEvents {@code source} of events of this type, e.g. {@code /orders}. */
  public String source() {
    return "/" + module;
  }

  /** The CloudEvents {@code dataschema}: names the schema and its version. */
  public String dataschema() {
    return dataschema(version);
  }

  public String dataschema(int schemaVersion) {
    return "urn:switchboard:schema:" + name + ":" + schemaVersion;
  }

  /** Where the schema of a version lives on the classpath of the contracts jar. */
  public String schemaResource(int schemaVersion) {
    return "schemas/" + name + "/v" + schemaVersion + ".json";
  }
}
