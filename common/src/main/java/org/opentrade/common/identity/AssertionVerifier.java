package org.opentrade.common.identity;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks the gateway's identity assertions (format: {@link IdentityAssertions}) for one service.
 * A service calls {@link #verify} on each request (and at each WebSocket upgrade) with the value of
 * the {@value IdentityAssertions#HEADER} header and its own name, and refuses the request unless the
 * result is {@linkplain Verification#valid() valid}.
 *
 * <p>Several public keys may be trusted at once (key rotation: trust the new key, move the gateways
 * to it, then drop the old one). The key id in each token picks the key, so a token costs at most
 * one signature check whatever the number of keys.
 *
 * <p>Cost: a token is checked cheaply first (length, shape, version, key id, audience, time) and
 * its Ed25519 signature last (about 1 ms on the project's machines). Verified tokens are remembered
 * (up to {@code cacheEntries}; the whole memory is dropped when full), so the gateway's reuse of one
 * token per caller for many requests costs the service one signature check per token; a remembered
 * token is still checked for audience and time on every call. Refusals are never remembered.
 *
 * <p>Never throws on bad input. Thread-safe: may be shared by every event loop of a service.
 */
public final class AssertionVerifier {
    /** Verified tokens remembered: at about 0.5 KiB each, a few MiB. */
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;
    private static final Base64.Decoder B64 = Base64.getUrlDecoder();
    private static final Base64.Encoder B64E = Base64.getUrlEncoder().withoutPadding();
    private static final int SIGNATURE_BYTES = 64;

    private final Map<KidKey, PublicKey> keys;
    private final long skewMillis;
    private final int cacheEntries;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    /** A verifier with {@link #DEFAULT_CACHE_ENTRIES}. */
    public AssertionVerifier(List<PublicKey> publicKeys, Duration allowedClockSkew) {
        this(publicKeys, allowedClockSkew, DEFAULT_CACHE_ENTRIES);
    }

    /**
     * @param publicKeys       the gateway public keys trusted (at least one Ed25519 key)
     * @param allowedClockSkew how far the gateway's clock may be from this service's (not negative);
     *                         {@link IdentityAssertions#DEFAULT_CLOCK_SKEW} by default
     * @param cacheEntries     verified tokens remembered; 0 checks every signature every time
     */
    public AssertionVerifier(List<PublicKey> publicKeys, Duration allowedClockSkew, int cacheEntries) {
        Objects.requireNonNull(publicKeys, "publicKeys");
        if (publicKeys.isEmpty()) {
            throw new IllegalArgumentException("at least one gateway public key is needed");
        }
        if (allowedClockSkew == null || allowedClockSkew.isNegative()) {
            throw new IllegalArgumentException("allowed clock skew must be zero or positive, got " + allowedClockSkew);
        }
        if (cacheEntries < 0) {
            throw new IllegalArgumentException("cache entries must be zero or positive, got " + cacheEntries);
        }
        Map<KidKey, PublicKey> byKid = new java.util.HashMap<>();
        for (PublicKey k : publicKeys) {
            Objects.requireNonNull(k, "public key");
            String alg = k.getAlgorithm();
            if (!alg.equals("EdDSA") && !alg.equals("Ed25519")) {
                throw new IllegalArgumentException("gateway keys are Ed25519; got a " + alg + " key");
            }
            if (byKid.put(new KidKey(IdentityAssertions.keyId(k)), k) != null) {
                throw new IllegalArgumentException("the same public key is listed twice");
            }
        }
        this.keys = Map.copyOf(byKid);
        this.skewMillis = allowedClockSkew.toMillis();
        this.cacheEntries = cacheEntries;
    }

    /**
     * Checks {@code token} (the header's value; null when absent) for the service named {@code
     * audience} at {@code nowMs} (epoch ms, read at the edge).
     */
    public Verification verify(String token, String audience, long nowMs) {
        if (token == null || token.isEmpty()) {
            return Verification.failed(Verification.Failure.MISSING);
        }
        if (token.length() > IdentityAssertions.MAX_TOKEN_LENGTH) {
            return Verification.failed(Verification.Failure.TOO_LONG);
        }
        Verified known = verified.get(token);
        if (known != null) {
            return judge(known.audience, known.identity, audience, nowMs);
        }
        return verifyAnew(token, audience, nowMs);
    }

    private Verification verifyAnew(String token, String audience, long nowMs) {
        if (!token.startsWith(IdentityAssertions.PREFIX)) {
            return Verification.failed(token.matches("ota[0-9]+\\..*")
                    ? Verification.Failure.UNSUPPORTED_VERSION : Verification.Failure.MALFORMED);
        }
        int dot = token.indexOf('.', IdentityAssertions.PREFIX.length());
        if (dot < 0 || token.indexOf('.', dot + 1) >= 0) {
            return Verification.failed(Verification.Failure.MALFORMED);
        }
        String payloadText = token.substring(IdentityAssertions.PREFIX.length(), dot);
        String signatureText = token.substring(dot + 1);
        byte[] payload = canonicalBase64(payloadText);
        byte[] signature = canonicalBase64(signatureText);
        if (payload == null || signature == null || signature.length != SIGNATURE_BYTES) {
            return Verification.failed(Verification.Failure.MALFORMED);
        }
        AssertionCodec.Decoded decoded;
        try {
            decoded = AssertionCodec.decode(payload);
        } catch (AssertionCodec.Invalid e) {
            return Verification.failed(e.failure);
        }
        PublicKey key = keys.get(new KidKey(decoded.kid()));
        if (key == null) {
            return Verification.failed(Verification.Failure.UNKNOWN_KEY);
        }
        // Cheap checks before the costly one: a refusal on unverified fields only ever refuses.
        Verification verdict = judge(decoded.audience(), decoded.identity(), audience, nowMs);
        if (!verdict.valid()) {
            return verdict;
        }
        if (!signatureValid(key, payload, signature)) {
            return Verification.failed(Verification.Failure.BAD_SIGNATURE);
        }
        remember(token, new Verified(decoded.audience(), decoded.identity()));
        return verdict;
    }

    private Verification judge(String tokenAudience, CallerIdentity identity, String audience, long nowMs) {
        if (!tokenAudience.equals(audience)) {
            return Verification.failed(Verification.Failure.WRONG_AUDIENCE);
        }
        if (nowMs < identity.issuedAtMs() - skewMillis) {
            return Verification.failed(Verification.Failure.NOT_YET_VALID);
        }
        if (nowMs >= identity.expiresAtMs() + skewMillis) {
            return Verification.failed(Verification.Failure.EXPIRED);
        }
        return Verification.ok(identity);
    }

    private void remember(String token, Verified v) {
        if (cacheEntries == 0) {
            return;
        }
        if (verified.size() >= cacheEntries) {
            verified.clear(); // rare: costs one signature check per live token afterwards
        }
        verified.put(token, v);
    }

    private static boolean signatureValid(PublicKey key, byte[] payload, byte[] signature) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(payload);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // e.g. a signature whose scalar is out of range
        }
    }

    /** The bytes of unpadded base64url text, or null unless the text is their one canonical spelling. */
    private static byte[] canonicalBase64(String text) {
        if (text.isEmpty()) {
            return null;
        }
        try {
            byte[] b = B64.decode(text);
            return B64E.encodeToString(b).equals(text) ? b : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private record Verified(String audience, CallerIdentity identity) {
    }

    /** A key id usable as a map key (arrays compare by identity). */
    private record KidKey(byte[] kid) {
        @Override
        public boolean equals(Object o) {
            return o instanceof KidKey k && Arrays.equals(kid, k.kid);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(kid);
        }
    }
}
