package org.opentrade.common.identity;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayKeysTest {
    @TempDir
    Path dir;

    @Test
    void firstStartCreatesAPrivateKeyFileAndLaterStartsLoadTheSamePair() throws Exception {
        Path file = dir.resolve("fresh/sub/identity-ed25519.pem");
        KeyPair created = GatewayKeys.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        String pem = Files.readString(file);
        assertTrue(pem.startsWith("-----BEGIN PRIVATE KEY-----\n"), pem);
        assertTrue(pem.contains("-----BEGIN PUBLIC KEY-----\n"), pem);
        try (var siblings = Files.list(file.getParent())) {
            assertEquals(List.of(file), siblings.toList(), "no temporary file left behind");
        }

        KeyPair loaded = GatewayKeys.loadOrCreate(file);
        assertArrayEquals(created.getPrivate().getEncoded(), loaded.getPrivate().getEncoded());
        assertArrayEquals(created.getPublic().getEncoded(), loaded.getPublic().getEncoded());
        assertEquals(pem, Files.readString(file), "an existing key file is never rewritten");
    }

    @Test
    void assertionsSignedWithTheFileKeyVerifyWithThePublicKeyFile() throws Exception {
        KeyPair pair = GatewayKeys.loadOrCreate(dir.resolve("identity-ed25519.pem"));
        Path pub = dir.resolve("identity-ed25519.pub.pem");
        GatewayKeys.writePublicKey(pub, pair.getPublic());
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(pub)));
        assertFalse(Files.readString(pub).contains("PRIVATE"));
        PublicKey read = GatewayKeys.loadPublicKey(pub);
        assertArrayEquals(pair.getPublic().getEncoded(), read.getEncoded());
        assertArrayEquals(read.getEncoded(), GatewayKeys.loadPublicKey(dir.resolve("identity-ed25519.pem")).getEncoded());

        CallerIdentity id = new CallerIdentity("dev_1", "otk_1", Set.of("trade"), "free", null, 1_000, 31_000);
        String token = new AssertionSigner(pair).sign(id, "trade-api");
        Verification v = new AssertionVerifier(List.of(read), Duration.ofSeconds(5)).verify(token, "trade-api", 2_000);
        assertEquals(id, v.identity());
    }

    @Test
    void pemTextRoundTrips() {
        KeyPair pair = GatewayKeys.generate();
        KeyPair parsed = GatewayKeys.parseKeyPair(GatewayKeys.toPem(pair));
        assertArrayEquals(pair.getPrivate().getEncoded(), parsed.getPrivate().getEncoded());
        assertArrayEquals(pair.getPublic().getEncoded(),
                GatewayKeys.parsePublicKey(GatewayKeys.publicKeyPem(pair.getPublic())).getEncoded());
    }

    @Test
    void aKeyFileWithLooserPermissionsIsMadePrivate() throws Exception {
        Path file = dir.resolve("k.pem");
        Files.writeString(file, GatewayKeys.toPem(GatewayKeys.generate()), StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        GatewayKeys.loadOrCreate(file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void unusableKeyFilesFailNamingTheFile() throws Exception {
        Path noPrivate = dir.resolve("public-only.pem");
        Files.writeString(noPrivate, GatewayKeys.publicKeyPem(GatewayKeys.generate().getPublic()));
        IOException e = assertThrows(IOException.class, () -> GatewayKeys.loadOrCreate(noPrivate));
        assertTrue(e.getMessage().contains("public-only.pem") && e.getMessage().contains("PRIVATE KEY"), e.getMessage());

        Path garbage = dir.resolve("garbage.pem");
        Files.writeString(garbage, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n");
        e = assertThrows(IOException.class, () -> GatewayKeys.loadPublicKey(garbage));
        assertTrue(e.getMessage().contains("garbage.pem"), e.getMessage());
        assertThrows(IOException.class, () -> GatewayKeys.loadPublicKey(dir.resolve("absent.pem")));
    }
}
