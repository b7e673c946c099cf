package org.opentrade.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
    /** A uid no account on a test machine has: the owner of a "mounted secret". */
    private static final int OTHER_UID = 54_321;

    @TempDir
    Path dir;

    @Test
    void thisUsersFileIsMadeReadableByItsOwnerOnly() throws Exception {
        Path file = dir.resolve("own.pem");
        Files.writeString(file, "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertTrue(SecretFiles.restrictToOwner(file));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(SecretFiles.restrictToOwner(file), "already private");
    }

    @Test
    void anotherUsersFileIsLeftAsItIs() throws Exception {
        Path file = otherUsersFile("mounted.pem", "x");
        assertFalse(SecretFiles.restrictToOwner(file));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aGatewayKeyMountedAsAnotherUsersSecretIsReadNotChanged() throws Exception {
        KeyPair pair = GatewayKeys.generate();
        Path file = otherUsersFile("identity-ed25519.pem", GatewayKeys.toPem(pair));
        KeyPair loaded = GatewayKeys.loadOrCreate(file);
        assertEquals(pair.getPublic(), loaded.getPublic());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(OTHER_UID, Files.getAttribute(file, "unix:uid"));
    }

    /**
     * A file mode 644 owned by {@link #OTHER_UID}, as a container secret is. Only root may give a
     * file away, and only root could change its mode despite the owner (which is what would happen
     * without the owner check), so these tests need root.
     */
    private Path otherUsersFile(String name, String content) throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "giving a file to another user needs root");
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setAttribute(file, "unix:uid", OTHER_UID);
        return file;
    }
}
