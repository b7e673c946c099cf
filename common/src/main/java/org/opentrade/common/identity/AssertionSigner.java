package org.opentrade.common.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.Objects;

/**
 * Signs identity assertions with the gateway's Ed25519 private key (format: {@link
 * IdentityAssertions}). Thread-safe: each call uses its own {@link Signature}.
 *
 * <p>Cost: one Ed25519 signature, about 1 ms on the project's machines under load (JDK 17's
 * implementation) — too much for every request; the gateway reuses each assertion for half its
 * lifetime. Never blocks otherwise, so it may be called on an event loop.
 */
public final class AssertionSigner {
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final PrivateKey privateKey;
    private final byte[] kid;

    /**
     * A signer for {@code keys} (an Ed25519 pair, e.g. from {@link GatewayKeys}). Fails fast when the
     * keys are not Ed25519 or not a pair (it signs and verifies a test message, about 2 ms).
     */
    public AssertionSigner(KeyPair keys) {
        Objects.requireNonNull(keys, "keys");
        this.privateKey = keys.getPrivate();
        this.kid = IdentityAssertions.keyId(keys.getPublic());
        try {
            byte[] probe = "opentrade identity key check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance("Ed25519");
            v.initVerify(keys.getPublic());
            v.update(probe);
            if (!v.verify(sig)) {
                throw new IllegalArgumentException("the private and public key are not one Ed25519 key pair");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("not an Ed25519 key pair: " + e.getMessage(), e);
        }
    }

    /**
     * A token asserting {@code identity} to the service named {@code audience}, valid from its
     * {@code issuedAtMs} to its {@code expiresAtMs}.
     *
     * @throws IllegalArgumentException when the audience is empty or a field is too long
     */
    public String sign(CallerIdentity identity, String audience) {
        byte[] payload = AssertionCodec.encode(Objects.requireNonNull(identity, "identity"), audience, kid);
        byte[] signature;
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(privateKey);
            s.update(payload);
            signature = s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed with a key that signed at start-up", e);
        }
        return IdentityAssertions.PREFIX + B64.encodeToString(payload) + "." + B64.encodeToString(signature);
    }
}
