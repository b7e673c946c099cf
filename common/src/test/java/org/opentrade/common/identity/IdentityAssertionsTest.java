package org.opentrade.common.identity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.opentrade.common.identity.Verification.Failure;

class IdentityAssertionsTest {
    // Two pairs for the whole class: key generation is the slow part of these tests.
    private static final KeyPair A = GatewayKeys.generate();
    private static final KeyPair B = GatewayKeys.generate();
    private static final long T0 = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final Duration SKEW = Duration.ofSeconds(5);
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final AssertionSigner signerA = new AssertionSigner(A);
    private final AssertionVerifier verifierA = new AssertionVerifier(List.of(A.getPublic()), SKEW);

    private static CallerIdentity alice() {
        return new CallerIdentity("dev_alice", "otk_123", Set.of("trade", "market:read"), "pro",
                "0af7651916cd43dd8448eb211c80319c", T0, T0 + 30_000);
    }

    @Test
    void signedIdentityVerifiesWithEveryFieldIntact() {
        String token = signerA.sign(alice(), "trade-api");
        assertTrue(token.startsWith("ota1."), token);
        Verification v = verifierA.verify(token, "trade-api", T0 + 1_000);
        assertTrue(v.valid(), String.valueOf(v.failure()));
        assertEquals(alice(), v.identity());
        assertTrue(v.identity().hasScope("trade"));
        assertFalse(v.identity().hasScope("fix"));
        assertNull(v.failure());
    }

    @Test
    void sessionIdentityWithoutKeyOrTraceRoundTrips() {
        CallerIdentity session = new CallerIdentity("dev_bob", null, Set.of(), "free", null, T0, T0 + 10);
        Verification v = verifierA.verify(signerA.sign(session, "market-api"), "market-api", T0);
        assertEquals(session, v.identity());
        assertTrue(v.identity().isSession());
        assertTrue(v.identity().scopes().isEmpty());
    }

    @Test
    void nonAsciiFieldsRoundTrip() {
        CallerIdentity id = new CallerIdentity("开发者-1", "otk_é", Set.of("market:read"), "专业", null, T0, T0 + 1);
        assertEquals(id, verifierA.verify(signerA.sign(id, "market-api"), "market-api", T0).identity());
    }

    @Test
    void payloadChangedUnderTheSameSignatureIsRefused() {
        String token = signerA.sign(alice(), "trade-api");
        String signature = token.substring(token.lastIndexOf('.') + 1);
        CallerIdentity mallory = new CallerIdentity("dev_mallory", "otk_123", Set.of("trade", "market:read"), "pro",
                "0af7651916cd43dd8448eb211c80319c", T0, T0 + 30_000);
        String forged = IdentityAssertions.PREFIX
                + B64.encodeToString(AssertionCodec.encode(mallory, "trade-api", IdentityAssertions.keyId(A.getPublic())))
                + "." + signature;
        assertEquals(Failure.BAD_SIGNATURE, verifierA.verify(forged, "trade-api", T0).failure());
    }

    @Test
    void changedSignatureIsRefused() {
        String token = signerA.sign(alice(), "trade-api");
        int dot = token.lastIndexOf('.');
        byte[] sig = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        sig[10] ^= 1;
        String forged = token.substring(0, dot + 1) + B64.encodeToString(sig);
        assertEquals(Failure.BAD_SIGNATURE, verifierA.verify(forged, "trade-api", T0).failure());
    }

    @Test
    void tokenOfAnUntrustedKeyIsRefused() {
        String token = new AssertionSigner(B).sign(alice(), "trade-api");
        assertEquals(Failure.UNKNOWN_KEY, verifierA.verify(token, "trade-api", T0).failure());
    }

    @Test
    void untrustedKeyClaimingTheTrustedKeyIdIsRefused() throws Exception {
        byte[] payload = AssertionCodec.encode(alice(), "trade-api", IdentityAssertions.keyId(A.getPublic()));
        assertEquals(Failure.BAD_SIGNATURE, verifierA.verify(signRaw(B, payload), "trade-api", T0).failure());
    }

    @Test
    void expiryIsEnforcedWithTheAllowedSkew() {
        String token = signerA.sign(alice(), "trade-api"); // expires at T0 + 30 s
        long lastValid = T0 + 30_000 + SKEW.toMillis() - 1;
        assertTrue(verifierA.verify(token, "trade-api", lastValid).valid());
        assertEquals(Failure.EXPIRED, verifierA.verify(token, "trade-api", lastValid + 1).failure());
        // a fresh verifier (nothing remembered) judges the same
        AssertionVerifier fresh = new AssertionVerifier(List.of(A.getPublic()), SKEW);
        assertEquals(Failure.EXPIRED, fresh.verify(token, "trade-api", lastValid + 1).failure());
    }

    @Test
    void aTokenFromAClockAheadIsAcceptedWithinTheSkewOnly() {
        String token = signerA.sign(alice(), "trade-api"); // issued at T0
        AssertionVerifier noCache = new AssertionVerifier(List.of(A.getPublic()), SKEW, 0);
        assertEquals(Failure.NOT_YET_VALID, noCache.verify(token, "trade-api", T0 - SKEW.toMillis() - 1).failure());
        assertTrue(noCache.verify(token, "trade-api", T0 - SKEW.toMillis()).valid());
        AssertionVerifier strict = new AssertionVerifier(List.of(A.getPublic()), Duration.ZERO);
        assertEquals(Failure.NOT_YET_VALID, strict.verify(token, "trade-api", T0 - 1).failure());
        assertEquals(Failure.EXPIRED, strict.verify(token, "trade-api", T0 + 30_000).failure());
    }

    @Test
    void tokenForAnotherServiceIsRefusedEvenOnceRemembered() {
        String token = signerA.sign(alice(), "market-api");
        assertEquals(Failure.WRONG_AUDIENCE, verifierA.verify(token, "trade-api", T0).failure());
        assertTrue(verifierA.verify(token, "market-api", T0).valid()); // now remembered
        assertEquals(Failure.WRONG_AUDIENCE, verifierA.verify(token, "trade-api", T0).failure());
    }

    @Test
    void absentOversizedAndGarbageTokensAreRefusedWithoutThrowing() {
        assertEquals(Failure.MISSING, verifierA.verify(null, "trade-api", T0).failure());
        assertEquals(Failure.MISSING, verifierA.verify("", "trade-api", T0).failure());
        assertEquals(Failure.TOO_LONG, verifierA.verify("ota1." + "A".repeat(4092), "trade-api", T0).failure());
        for (String garbage : List.of("x", "ota1.", "ota1..", "ota1.AAAA", "ota1.AAAA.", "ota1..AAAA",
                "ota1.AAAA.AAAA.AAAA", "ota1.!!!!.AAAA", "ota1.AAAA=.AAAA", "ota1.T1RBAQ." + "A".repeat(86),
                "ota1.AA.AA\n", "Bearer abc", "ota1.\u00e9\u00e9.AAAA", "ota1.T1RB.AAAA")) {
            Verification v = verifierA.verify(garbage, "trade-api", T0);
            assertFalse(v.valid(), garbage);
            assertTrue(v.failure() == Failure.MALFORMED || v.failure() == Failure.TOO_LONG, garbage + " " + v.failure());
        }
    }

    @Test
    void otherVersionsAreRefusedAsSuch() throws Exception {
        assertEquals(Failure.UNSUPPORTED_VERSION, verifierA.verify("ota2.AAAA.AAAA", "trade-api", T0).failure());
        byte[] payload = AssertionCodec.encode(alice(), "trade-api", IdentityAssertions.keyId(A.getPublic()));
        payload[3] = 2; // the signed version byte
        assertEquals(Failure.UNSUPPORTED_VERSION, verifierA.verify(signRaw(A, payload), "trade-api", T0).failure());
    }

    @Test
    void signedButNonCanonicalPayloadsAreMalformed() throws Exception {
        byte[] good = AssertionCodec.encode(alice(), "trade-api", IdentityAssertions.keyId(A.getPublic()));
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 1);
        assertEquals(Failure.MALFORMED, verifierA.verify(signRaw(A, trailing), "trade-api", T0).failure());
        byte[] truncated = java.util.Arrays.copyOf(good, good.length - 1);
        assertEquals(Failure.MALFORMED, verifierA.verify(signRaw(A, truncated), "trade-api", T0).failure());

        // scopes out of order: swap "market:read" and "trade" in a hand-built payload
        ByteArrayOutputStream p = new ByteArrayOutputStream();
        p.writeBytes(new byte[] {'O', 'T', 'A', 1});
        p.writeBytes(IdentityAssertions.keyId(A.getPublic()));
        p.writeBytes(java.nio.ByteBuffer.allocate(16).putLong(T0).putLong(T0 + 30_000).array());
        str(p, "trade-api");
        str(p, "dev_alice");
        p.write(0);
        p.write(2);
        str(p, "trade");
        str(p, "market:read");
        str(p, "pro");
        p.write(0);
        assertEquals(Failure.MALFORMED, verifierA.verify(signRaw(A, p.toByteArray()), "trade-api", T0).failure());
    }

    @Test
    void noMutationOfAValidTokenIsAccepted() {
        String token = signerA.sign(alice(), "trade-api");
        AssertionVerifier noCache = new AssertionVerifier(List.of(A.getPublic()), SKEW, 0);
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.=";
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            char[] c = token.toCharArray();
            int at = random.nextInt(c.length);
            c[at] = alphabet.charAt(random.nextInt(alphabet.length()));
            String mutated = new String(c);
            if (!mutated.equals(token)) {
                assertFalse(noCache.verify(mutated, "trade-api", T0).valid(), "accepted " + mutated);
            }
        }
    }

    @Test
    void bothKeysVerifyDuringARotationAndTheRetiredOneAfterItDoesNot() {
        AssertionVerifier rotating = new AssertionVerifier(List.of(A.getPublic(), B.getPublic()), SKEW);
        String fromA = signerA.sign(alice(), "trade-api");
        String fromB = new AssertionSigner(B).sign(alice(), "trade-api");
        assertTrue(rotating.verify(fromA, "trade-api", T0).valid());
        assertTrue(rotating.verify(fromB, "trade-api", T0).valid());
        AssertionVerifier after = new AssertionVerifier(List.of(B.getPublic()), SKEW);
        assertEquals(Failure.UNKNOWN_KEY, after.verify(fromA, "trade-api", T0).failure());
        assertTrue(after.verify(fromB, "trade-api", T0).valid());
    }

    @Test
    void aFullMemoryIsDroppedAndVerificationGoesOn() {
        AssertionVerifier tiny = new AssertionVerifier(List.of(A.getPublic()), SKEW, 1);
        String one = signerA.sign(alice(), "trade-api");
        String two = signerA.sign(alice(), "market-api");
        for (int i = 0; i < 2; i++) {
            assertTrue(tiny.verify(one, "trade-api", T0).valid());
            assertTrue(tiny.verify(two, "market-api", T0).valid());
        }
    }

    @Test
    void misconfigurationFailsFast() throws Exception {
        assertThrows(IllegalArgumentException.class, () -> new AssertionVerifier(List.of(), SKEW));
        assertThrows(IllegalArgumentException.class,
                () -> new AssertionVerifier(List.of(A.getPublic(), A.getPublic()), SKEW));
        assertThrows(IllegalArgumentException.class,
                () -> new AssertionVerifier(List.of(A.getPublic()), Duration.ofSeconds(-1)));
        KeyPair rsa = KeyPairGenerator.getInstance("EC").generateKeyPair();
        assertThrows(IllegalArgumentException.class, () -> new AssertionVerifier(List.of(rsa.getPublic()), SKEW));
        assertThrows(IllegalArgumentException.class, () -> new AssertionSigner(new KeyPair(B.getPublic(), A.getPrivate())));
        assertThrows(IllegalArgumentException.class, () -> signerA.sign(alice(), ""));
        assertThrows(IllegalArgumentException.class, () -> new CallerIdentity("d", null, Set.of(), "free", null, T0, T0));
        assertThrows(IllegalArgumentException.class,
                () -> signerA.sign(new CallerIdentity("d".repeat(1025), null, Set.of(), "free", null, T0, T0 + 1), "x"));
    }

    @Test
    void aCompleteAssertionStaysFarBelowTheLengthLimit() {
        String token = signerA.sign(alice(), "trade-api");
        assertTrue(token.length() < 400, token.length() + " characters");
    }

    private static String signRaw(KeyPair keys, byte[] payload) throws Exception {
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(keys.getPrivate());
        s.update(payload);
        return IdentityAssertions.PREFIX + B64.encodeToString(payload) + "." + B64.encodeToString(s.sign());
    }

    private static void str(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write(b.length >>> 8);
        out.write(b.length & 0xff);
        out.writeBytes(b);
    }
}
