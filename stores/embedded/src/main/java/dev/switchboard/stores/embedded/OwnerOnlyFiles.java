package dev.switchboard.stores.embedded;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Keeps the embedded store's files to the user the node runs as: orders, customers and payments are
 * in them. The folder the store creates is {@code rwx------}, the database {@code rw-------}; SQLite
 * gives its {@code -wal}, {@code -shm} and {@code -journal} files the database's mode, and they are
 * tightened again after opening in case they came from an older run. On a file system without POSIX
 * permissions (Windows) nothing is done: its folders' access lists apply.
 */
final class OwnerOnlyFiles {

  private static final Logger LOG = LoggerFactory.getLogger(OwnerOnlyFiles.class);
  static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
  static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
  private static final String[] COMPANIONS = {"-wal", "-shm", "-journal"};

  private OwnerOnlyFiles() {
  }

  /** Before SQLite opens {@code database}: its folder and the file itself exist, the owner's only. */
  static void prepare(Path database) throws IOException {
    if (!posix()) {
      Files.createDirectories(database.getParent());
      return;
    }
    Path folder = database.getParent();
    if (Files.notExists(folder)) {
      Files.createDirectories(folder, PosixFilePermissions.asFileAttribute(FOLDER));
      Files.setPosixFilePermissions(folder, FOLDER); // the umask may have taken bits from what was asked
    } else if (!FOLDER.containsAll(Files.getPosixFilePermissions(folder))) {
      // a folder we did not make may hold other things: say so rather than change it
      LOG.warn("embedded store: the folder {} may be read by other users ({}); its files are kept to the owner",
          folder, PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    }
    if (Files.notExists(database)) {
      Files.createFile(database, PosixFilePermissions.asFileAttribute(FILE));
    }
    Files.setPosixFilePermissions(database, FILE);
  }

  /** After opening: the companion files SQLite made are the owner's only too. */
  static void tightenCompanions(Path database) throws IOException {
    if (!posix()) {
      return;
    }
    for (String suffix : COMPANIONS) {
      Path companion = database.resolveSibling(database.getFileName() + suffix);
      if (Files.exists(companion)) {
        Files.setPosixFilePermissions(companion, FILE);
      }
    }
  }

  private static boolean posix() {
    return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
  }
}
