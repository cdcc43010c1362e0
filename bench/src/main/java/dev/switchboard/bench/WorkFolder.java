package dev.switchboard.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A temporary folder for one scenario's files (an embedded store grows to hundreds of MiB over a
 * run), deleted when the scenario ends so that runs do not fill the disk.
 */
public final class WorkFolder implements AutoCloseable {

  private final Path path;

  private WorkFolder(Path path) {
    this.path = path;
  }

  public static WorkFolder create(String prefix) throws IOException {
    return new WorkFolder(Files.createTempDirectory(prefix));
  }

  public Path path() {
    return path;
  }

  @Override
  public void close() {
    try (Stream<Path> paths = Files.walk(path)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + path, e);
    }
  }
}
