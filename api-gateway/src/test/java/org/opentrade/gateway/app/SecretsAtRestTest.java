package org.opentrade.gateway.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentrade.common.config.ConfigException;
import org.opentrade.common.config.ConfigLoader;

/**
 * What the gateway keeps on disk is readable by its own user only, and no Redis password reaches a
 * message or log line.
 */
class SecretsAtRestTest {
    @TempDir
    Path dir;

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void theDataDirectoryAndEveryFileInItArePrivate() throws Exception {
        try (TestGateway gw = TestGateway.start(dir, null)) {
            String token = gw.signUpAndLogIn("ada@example.com");
            gw.createKey(token, new JsonObject());
            gw.get("/v1/usage", "Authorization", "Bearer " + token);
            Path data = dir.resolve("data");
            assertEquals("rwx------", mode(data));
            assertEquals("rw-------", mode(data.resolve("registry.json")));
            assertEquals("rw-------", mode(data.resolve("session-es256.pem")));
        }
        Path data = dir.resolve("data");
        assertEquals("rw-------", mode(data.resolve("usage.jsonl")));
    }

    @Test
    void aGeneratedAdminTokenIsPrivate() throws Exception {
        GatewayConfig config = config("gateway:\n  data_dir: " + dir.resolve("fresh") + "\n");
        String token = ApiGateway.adminToken(config);
        Path file = dir.resolve("fresh").resolve("admin-token");
        assertEquals(token, Files.readString(file, StandardCharsets.US_ASCII).strip());
        assertEquals("rw-------", mode(file));
        assertEquals("rwx------", mode(dir.resolve("fresh")));
    }

    @Test
    void aBadRedisUriIsRefusedWithoutItsPassword() throws Exception {
        ConfigException e = assertThrows(ConfigException.class,
                () -> config("redis:\n  uri: http://user:hunter2@10.0.0.5:6379\n"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void anUnreachableRedisIsReportedWithoutItsPassword() throws Exception {
        // Port 1 on loopback refuses at once.
        GatewayConfig config = config("gateway:\n  store: redis\nredis:\n  uri: redis://user:hunter2@127.0.0.1:1/0\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ApiGateway.redisStores(config));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            assertFalse(String.valueOf(t.getMessage()).contains("hunter2"), "cause: " + t);
        }
    }

    private GatewayConfig config(String yaml) throws Exception {
        Path override = dir.resolve("override.yaml");
        Files.writeString(override, yaml, StandardCharsets.UTF_8);
        Map<String, String> props = new HashMap<>();
        props.put(GatewayConfig.OVERRIDE_PROPERTY, override.toString());
        return GatewayConfig.load(ConfigLoader.of(Map.of(), props));
    }
}
