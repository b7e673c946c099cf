package org.opentrade.common.identity;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Arrays;

/**
 * The gateway's identity assertion: how an upstream service (market-api, trade-api) learns who is
 * calling, in a form that a caller who reaches the service's port directly cannot forge. The
 * gateway signs it with its Ed25519 private key ({@link AssertionSigner}); services verify it with
 * the gateway's public key ({@link AssertionVerifier}) and refuse a request without a valid one
 * with error {@value #ERROR_NO}. The gateway removes any {@code X-OpenTrade-*} header a client
 * sends, this one included. The plain {@code X-OpenTrade-Developer-Id}/{@code -Key-Id}/
 * {@code -Scopes}/{@code -Plan} headers the gateway also sets are for logs only: never trust them.
 *
 * <h2>Token format, version 1</h2>
 * <pre>
 * token     = "ota1." base64url(payload) "." base64url(signature)     (RFC 4648 §5, no padding)
 * signature = Ed25519 (RFC 8032) over exactly the payload bytes       (64 bytes)
 * payload   = "OTA" 0x01          magic and version (also signed, so the prefix cannot be downgraded)
 *             kid         8 bytes the first 8 bytes of SHA-256 of the signer's X.509 public key
 *             issuedAt    int64   epoch ms, big-endian
 *             expiresAt   int64   epoch ms, big-endian, after issuedAt
 *             audience    str     the service it is for: "market-api", "trade-api", ...
 *             developerId str     non-empty
 *             keyId       opt     absent for a portal session
 *             scopes      uint8 count, then count × str, sorted by their UTF-8 bytes, no duplicates
 *             plan        str
 *             traceId     opt
 *             (nothing after)
 * str       = uint16 big-endian byte length (at most 1024) + UTF-8 bytes
 * opt       = 0x00 (absent) | 0x01 str
 * </pre>
 * A length-prefixed binary encoding rather than JSON: one identity has exactly one encoding, there
 * is nothing to canonicalise, and no field can spill into another. A token is at most
 * {@value #MAX_TOKEN_LENGTH} characters; a verifier refuses a longer one before decoding it.
 *
 * <h2>Audience</h2>
 * The gateway signs each assertion for the service it proxies to, and a service accepts only its
 * own name, so an assertion leaked by (or captured in front of) one service cannot be replayed to
 * another.
 *
 * <h2>Lifetime and cost</h2>
 * An assertion lives {@link #DEFAULT_TTL} by default. Ed25519 in the JDK costs about 1 ms per
 * signature and per verification on the project's 2-core machines (measured under load), far too
 * much for every request: the gateway therefore reuses one assertion per (caller, audience) while
 * more than half its lifetime remains, which makes its trace id meaningless, so the gateway leaves
 * {@link CallerIdentity#traceId()} out (null) and services take the trace from {@code traceparent}.
 * {@link AssertionVerifier} likewise remembers the tokens it has verified, so a service pays one
 * verification per assertion, not per request. A WebSocket stream's assertion is checked once, at
 * the upgrade; the stream then lives as long as the gateway lets it.
 *
 * <h2>Keys</h2>
 * {@link GatewayKeys} loads the gateway's key pair from a PEM file (created on first start). In the
 * all-in-one the services get the public key in-process from the gateway object. In distributed
 * mode each service is given the gateway's public key file by configuration; never fetch it over
 * the network from whatever answers, which would let anyone who can answer vouch for any caller.
 * Services may trust several public keys at once, so a gateway key can be rotated without downtime.
 */
public final class IdentityAssertions {
    /** The request header that carries the assertion from the gateway to a service. */
    public static final String HEADER = "X-OpenTrade-Assertion";
    /** The text prefix of a version-1 token. */
    public static final String PREFIX = "ota1.";
    /** Longest token a verifier decodes. */
    public static final int MAX_TOKEN_LENGTH = 4096;
    /** Longest string field, in UTF-8 bytes. */
    public static final int MAX_FIELD_BYTES = 1024;
    /** Most scopes in one assertion. */
    public static final int MAX_SCOPES = 32;
    /** How long an assertion is valid: per request, so short; long enough to outlive any request timeout. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(30);
    /** How far apart the gateway's and a service's clocks may be. */
    public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(5);
    /**
     * The {@code error_no} a service answers when a request has no valid assertion (-2xxx:
     * authentication), with HTTP 401 and the {@link Verification.Failure#message()} as {@code error}.
     */
    public static final int ERROR_NO = -2021;
    /** Bytes of a key id. */
    static final int KID_BYTES = 8;

    private IdentityAssertions() {
    }

    /** The key id of {@code publicKey} as written into assertions: 8 bytes of SHA-256 of its X.509 encoding. */
    public static byte[] keyId(PublicKey publicKey) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(publicKey.getEncoded());
            return Arrays.copyOf(digest, KID_BYTES);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
