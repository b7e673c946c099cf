package org.opentrade.sdk;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * An Ed25519 key: each request carries {@code X-API-Key}, {@code X-Timestamp} (epoch ms) and
 * {@code X-Signature}, the base64 Ed25519 signature over four lines joined by {@code \n}: the timestamp,
 * the method, the raw path and query as sent, and the hex SHA-256 of the body bytes (the contract's
 * {@code Ed25519Signature} scheme). The JDK's own Ed25519 (Java 15+) signs; nothing else is needed.
 */
public final class Ed25519Credentials implements Credentials {
    private final String keyId;
    private final PrivateKey privateKey;
    private final LongSupplier clock;

    Ed25519Credentials(String keyId, PrivateKey privateKey, LongSupplier clock) {
        this.keyId = Objects.requireNonNull(keyId, "keyId");
        this.privateKey = Objects.requireNonNull(privateKey, "privateKey");
        this.clock = clock;
        if (!"Ed25519".equals(privateKey.getAlgorithm()) && !"EdDSA".equals(privateKey.getAlgorithm())) {
            throw new IllegalArgumentException("an Ed25519 private key is needed, not " + privateKey.getAlgorithm());
        }
    }

    /**
     * The timestamp last signed per request (method, path and query, body), the 256 most recent: Ed25519 signs alike
     * what is alike, so two identical requests in one millisecond (two streams opening at once, two polls) carried
     * one signature, and the gateway's replay guard refused the second (401 -2010; a stream gives up on a 401).
     */
    private final Map<String, Long> lastSigned = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > 256;
        }
    };

    @Override
    public void apply(HttpRequest.Builder request, String method, String pathAndQuery, byte[] body) {
        String timestamp = Long.toString(timestamp(method + '\n' + pathAndQuery + '\n' + sha256Hex(body)));
        request.setHeader("X-API-Key", keyId)
                .setHeader("X-Timestamp", timestamp)
                .setHeader("X-Signature", sign(stringToSign(timestamp, method, pathAndQuery, body)));
    }

    /** The clock, or one past the last timestamp this request was signed with when that is not behind it. */
    private synchronized long timestamp(String request) {
        long now = clock.getAsLong();
        Long before = lastSigned.get(request);
        long ts = before != null && before >= now ? before + 1 : now;
        lastSigned.put(request, ts);
        return ts;
    }

    /** The gateway's string to sign, exactly: timestamp, method, path and query, body hash, joined by {@code \n}. */
    public static String stringToSign(String timestamp, String method, String pathAndQuery, byte[] body) {
        return timestamp + '\n' + method + '\n' + pathAndQuery + '\n' + sha256Hex(body);
    }

    /** The canonical base64 (standard alphabet, padded) Ed25519 signature of the string's UTF-8 bytes. */
    public String sign(String stringToSign) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(privateKey);
            signer.update(stringToSign.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(signer.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    static String sha256Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    static PrivateKey privateKeyFromPkcs8(String pkcs8Base64) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(pkcs8Base64.strip());
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not a base64 PKCS#8 Ed25519 private key", e);
        }
    }

    @Override
    public String toString() {
        return "ed25519 key " + keyId;
    }
}
