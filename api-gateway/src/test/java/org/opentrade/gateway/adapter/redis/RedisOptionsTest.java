package org.opentrade.gateway.adapter.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lettuce.core.ClientOptions;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RedisOptionsTest {

    @Test
    void defaultsSuitAGateway() {
        RedisOptions options = RedisOptions.of(RedisOptions.DEFAULT_URI);

        assertEquals(Duration.ofMillis(200), options.commandTimeout());
        assertEquals("ot:", options.keyPrefix());
        assertEquals(Duration.ofDays(8), options.usageRetention());
    }

    @Test
    void aBadValueIsRefusedWithItsName() {
        IllegalArgumentException scheme = assertThrows(IllegalArgumentException.class,
                () -> RedisOptions.of("http://127.0.0.1:6379"));
        assertTrue(scheme.getMessage().contains("redis uri"), scheme.getMessage());

        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> RedisOptions.of(RedisOptions.DEFAULT_URI).withCommandTimeout(Duration.ZERO));
        assertTrue(timeout.getMessage().contains("commandTimeout"), timeout.getMessage());
    }

    @Test
    void theClientRejectsCommandsWhileDisconnectedAndTimesThemOut() {
        ClientOptions client = RedisConnections.clientOptions(
                RedisOptions.of(RedisOptions.DEFAULT_URI).withCommandTimeout(Duration.ofMillis(150)));

        assertEquals(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS, client.getDisconnectedBehavior());
        assertTrue(client.isAutoReconnect());
        assertTrue(client.getTimeoutOptions().isTimeoutCommands());
    }

    @Test
    void aRefusedUriDoesNotRepeatItsPassword() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RedisOptions.of("http://user:hunter2@127.0.0.1:6379"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
    }

    @Test
    void aUriIsShownWithoutItsCredentials() {
        assertEquals("redis://***@10.0.0.5:6380/2", RedisOptions.redacted("redis://user:hunter2@10.0.0.5:6380/2"));
        assertEquals("rediss://***@h:1", RedisOptions.redacted("rediss://:hunter2@h:1"));
        assertEquals("redis://127.0.0.1:6379/0", RedisOptions.redacted("redis://127.0.0.1:6379/0"));
        assertFalse(RedisOptions.redacted("redis://a:b@c@d:1").contains("b@c"));
        assertFalse(RedisOptions.redacted("not a uri :pw@").contains("pw"));
    }
}
