package org.opentrade.gateway.adapter.http;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which {@code Host} values {@link HostGuard} answers, by the address the server is bound to. */
class HostGuardTest {
    private static final List<String> LOOPBACK_NAMES = List.of("localhost", "localhost:8080", "LOCALHOST:8080",
            "localhost.", "app.localhost:3000", "127.0.0.1", "127.0.0.1:8080", "127.1.2.3:80", "[::1]", "[::1]:8080",
            "[0:0:0:0:0:0:0:1]:8080");
    private static final List<String> OTHER_NAMES = List.of("evil.example", "evil.example:8080", "EVIL.EXAMPLE:8080",
            "localhost.evil.example:8080", "127.0.0.1.nip.io", "evil-localhost:8080", "192.168.1.5:8080", "0.0.0.0:8080",
            "[::2]:8080", "localhost:80:80", "localhost:", "localhost:8o", "[::1", "[::1]x", ":8080", "", "::1",
            "localhost@evil.example", "evil.example#localhost", "evil.example#x.localhost", "evil.example/x.localhost");

    @Test
    void boundToLoopbackOnlyLoopbackNamesAreAnswered() {
        for (String bind : List.of("127.0.0.1", "localhost", "::1", "[::1]")) {
            HostGuard guard = new HostGuard(bind, List.of());
            assertTrue(guard.enabled(), bind);
            for (String host : LOOPBACK_NAMES) {
                assertTrue(guard.allows(host), bind + " answers " + host);
            }
            for (String host : OTHER_NAMES) {
                assertFalse(guard.allows(host), bind + " refuses '" + host + "'");
            }
        }
    }

    @Test
    void allowedHostsAreAnsweredBesideLoopbackWithAnyPortAndCase() {
        HostGuard guard = new HostGuard("127.0.0.1", List.of("api.example.com", "192.0.2.10", "[2001:db8::1]"));
        for (String host : List.of("api.example.com", "API.example.COM:443", "api.example.com.", "192.0.2.10:8080",
                "[2001:DB8::1]:8080", "localhost:8080")) {
            assertTrue(guard.allows(host), host);
        }
        for (String host : List.of("www.api.example.com", "example.com", "api.example.com.evil.example", "evil.example")) {
            assertFalse(guard.allows(host), host);
        }
    }

    @Test
    void boundToAPublicAddressTheCheckIsOnOnlyWithAllowedHosts() {
        assertFalse(new HostGuard("0.0.0.0", List.of()).enabled(), "a deliberate public deployment: no check by default");
        assertFalse(new HostGuard("192.0.2.10", List.of()).enabled());
        HostGuard listed = new HostGuard("0.0.0.0", List.of("api.example.com"));
        assertTrue(listed.enabled());
        assertTrue(listed.allows("api.example.com"));
        assertTrue(listed.allows("127.0.0.1:8080"), "health probes on this machine still pass");
        assertFalse(listed.allows("evil.example"));
    }

    @Test
    void onlyLoopbackBindAddressesCountAsLoopback() {
        for (String host : List.of("127.0.0.1", "127.0.0.53", "localhost", "LOCALHOST", "::1", "[::1]", "x.localhost")) {
            assertTrue(HostGuard.isLoopback(host), host);
        }
        for (String host : List.of("0.0.0.0", "::", "10.0.0.1", "example.com", "localhost.example.com", "128.0.0.1")) {
            assertFalse(HostGuard.isLoopback(host), host);
        }
    }
}
