package org.opentrade.gateway.adapter.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.opentrade.common.identity.AssertionSigner;
import org.opentrade.common.identity.AssertionVerifier;
import org.opentrade.common.identity.CallerIdentity;
import org.opentrade.common.identity.GatewayKeys;
import org.opentrade.gateway.domain.Plan;
import org.opentrade.gateway.domain.Principal;
import org.opentrade.gateway.domain.Scope;

class AssertionIssuerTest {
    private static final KeyPair KEYS = GatewayKeys.generate();
    private static final Plan PRO = new Plan("pro", 12_000, 50, 20);
    private static final long T0 = 1_767_225_600_000L;

    private final AtomicLong now = new AtomicLong(T0);
    private final AssertionIssuer issuer = new AssertionIssuer(new AssertionSigner(KEYS), Duration.ofSeconds(30),
            now::get, 100);
    private final AssertionVerifier verifier = new AssertionVerifier(List.of(KEYS.getPublic()), Duration.ZERO, 0);
    private final Principal alice = new Principal("dev_alice", "otk_a", Set.of(Scope.MARKET_READ, Scope.TRADE), PRO);

    @Test
    void assertionSaysWhoIsCallingForTheServiceItIsFor() {
        String token = issuer.audience("trade-api").assertionFor(alice);
        CallerIdentity id = verifier.verify(token, "trade-api", T0).identity();
        assertEquals(new CallerIdentity("dev_alice", "otk_a", Set.of("market:read", "trade"), "pro", null, T0,
                T0 + 30_000), id);
        assertEquals(null, verifier.verify(token, "market-api", T0).identity());
    }

    @Test
    void oneAssertionIsReusedForHalfItsLifetimeThenReplaced() {
        AssertionIssuer.Audience trade = issuer.audience("trade-api");
        String first = trade.assertionFor(alice);
        now.set(T0 + 14_999);
        assertSame(first, trade.assertionFor(alice));
        now.set(T0 + 15_000);
        String second = trade.assertionFor(alice);
        assertNotEquals(first, second);
        CallerIdentity renewed = verifier.verify(second, "trade-api", now.get()).identity();
        assertEquals(T0 + 15_000, renewed.issuedAtMs());
        assertEquals(T0 + 45_000, renewed.expiresAtMs());
    }

    @Test
    void callersAndServicesEachGetTheirOwnAssertionAndRoutesOfOneServiceShareIt() {
        Principal session = Principal.session("dev_alice", PRO);
        String keyed = issuer.audience("trade-api").assertionFor(alice);
        String sessioned = issuer.audience("trade-api").assertionFor(session);
        String market = issuer.audience("market-api").assertionFor(alice);
        assertNotEquals(keyed, sessioned);
        assertNotEquals(keyed, market);
        assertSame(issuer.audience("trade-api"), issuer.audience("trade-api"));
        assertSame(keyed, issuer.audience("trade-api").assertionFor(
                new Principal("dev_alice", "otk_a", Set.of(Scope.TRADE, Scope.MARKET_READ), PRO)));
        assertNull(verifier.verify(sessioned, "trade-api", T0).identity().keyId());
        assertEquals(Set.of("market:read", "trade", "fix"), verifier.verify(sessioned, "trade-api", T0).identity().scopes());
    }

    @Test
    void aFullMemoryIsForgottenAndAssertionsStayValid() {
        AssertionIssuer small = new AssertionIssuer(new AssertionSigner(KEYS), Duration.ofSeconds(30), now::get, 1);
        Principal bob = new Principal("dev_bob", "otk_b", Set.of(Scope.MARKET_READ), PRO);
        for (int i = 0; i < 3; i++) {
            assertEquals("dev_alice", verifier.verify(small.audience("m").assertionFor(alice), "m", T0).identity()
                    .developerId());
            assertEquals("dev_bob", verifier.verify(small.audience("m").assertionFor(bob), "m", T0).identity()
                    .developerId());
        }
    }

    @Test
    void tooShortALifetimeIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new AssertionIssuer(new AssertionSigner(KEYS), Duration.ofMillis(1999), now::get, 1));
    }
}
