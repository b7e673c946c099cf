package org.opentrade.common.identity;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.logging.Logger;

/**
 * Key files a process is given rather than made: its own are made readable by its user only (mode
 * 600); another user's — a container secret mounted read-only, owned by root (Kubernetes) or by the
 * host's user (docker-compose) — is used as it is, because changing it would fail, and its
 * protection is then the mount's. A warning names such a file and its mode. Blocking file I/O:
 * start-up only.
 */
public final class SecretFiles {
    private static final Logger LOG = Logger.getLogger(SecretFiles.class.getName());
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");
    /** What the JDK reports when the user database has no name for this process's uid. */
    private static final String UNKNOWN_USER = "?";

    private SecretFiles() {
    }

    /**
     * Makes {@code file} mode 600 when this process's user owns it. Returns true when the file is
     * mode 600 afterwards (or the file system has no POSIX permissions); false when it is another
     * user's file, or one this user may not change (a read-only mount), left as it is with a warning.
     */
    public static boolean restrictToOwner(Path file) throws IOException {
        if (!POSIX) {
            return true;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (mode.equals(OWNER_ONLY)) {
            return true;
        }
        String user = System.getProperty("user.name", UNKNOWN_USER);
        String owner = Files.getOwner(file).getName();
        // A uid without a name (a container run with a bare --user) cannot be compared: try to change it.
        if (!user.equals(UNKNOWN_USER) && !owner.equals(user)) {
            LOG.warning(file + " belongs to " + owner + ", not to this process's user " + user + ": used as it is (mode "
                    + PosixFilePermissions.toString(mode) + "), as a mounted secret; keep it readable by this service only");
            return false;
        }
        try {
            Files.setPosixFilePermissions(file, OWNER_ONLY);
            return true;
        } catch (FileSystemException e) {
            LOG.warning(file + " could not be made mode 600 (" + e.getReason() + "; a read-only mount?): used as it is"
                    + " (mode " + PosixFilePermissions.toString(mode) + ")");
            return false;
        }
    }
}
