package dev.switchboard.app.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version of the event contracts, as Maven stamped it into the contracts jar (and so into the
 * fat jar). Classes compiled in place, as in a reactor build that stops before {@code package}, carry
 * no stamp: they get {@value #UNPACKAGED}.
 */
final class ProjectVersion {

  static final String POM_PROPERTIES = "META-INF/maven/dev.switchboard/switchboard-contracts/pom.properties";
  static final String UNPACKAGED = "0.0.0-dev";

  private ProjectVersion() {
  }

  static String read() {
    try (InputStream in = ProjectVersion.class.getClassLoader().getResourceAsStream(POM_PROPERTIES)) {
      if (in == null) {
        return UNPACKAGED;
      }
      Properties properties = new Properties();
      properties.load(in);
      return properties.getProperty("version", UNPACKAGED);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + POM_PROPERTIES, e);
    }
  }
}
