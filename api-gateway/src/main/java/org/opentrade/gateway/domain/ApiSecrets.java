package org.opentrade.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Generation and verification of key ids and API secrets. Secrets carry 256 random bits, so a
 * plain SHA-256 is the right store (as for GitHub tokens): a slow KDF protects guessable passwords,
 * not random secrets, and would cost every request milliseconds. Comparison is constant-time.
 */
public final class ApiSecrets {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    /** {@code otk_} + 15 random bytes in url-safe base64. */
    private static final int KEY_ID_LENGTH = 4 + 20;

    private ApiSecrets() {
    }

    /** A new key id: {@code otk_} + 20 url-safe characters. */
    public static String newKeyId() {
        return "otk_" + random(15);
    }

    /**
     * Whether {@code id} has the shape of the ids {@link #newKeyId()} makes ({@code otk_} + 20 url-safe
     * characters): anything else cannot be a key, and is answered without asking the store.
     */
    public static boolean isKeyId(String id) {
        if (id == null || id.length() != KEY_ID_LENGTH || !id.startsWith("otk_")) {
            return false;
        }
        for (int i = 4; i < id.length(); i++) {
            char c = id.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    /** A new secret: {@code ots_} + 43 url-safe characters (256 bits). */
    public static String newSecret() {
        return "ots_" + random(32);
    }

    /** A new developer id: {@code dev_} + 16 url-safe characters. */
    public static String newDeveloperId() {
        return "dev_" + random(12);
    }

    /**
     * One digest per thread, reset by each {@code digest}: looking the algorithm up in the providers on
     * every authenticated call was a third of the secret check's cost.
     */
    private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    });

    /** SHA-256 of the secret, hex. */
    public static String hash(String secret) {
        return HexFormat.of().formatHex(SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * Whether {@code secret} matches one of the active hashes: the first always, the earlier ones only
     * before {@code previousUntil} (rotation grace).
     */
    public static boolean matches(String secret, List<String> hashes, long previousUntil, long nowMillis) {
        if (secret == null || secret.length() > 256 || hashes.isEmpty()) {
            return false;
        }
        byte[] h = hash(secret).getBytes(StandardCharsets.US_ASCII);
        boolean ok = MessageDigest.isEqual(h, hashes.get(0).getBytes(StandardCharsets.US_ASCII));
        if (nowMillis < previousUntil) {
            for (int i = 1; i < hashes.size(); i++) {
                ok |= MessageDigest.isEqual(h, hashes.get(i).getBytes(StandardCharsets.US_ASCII));
            }
        }
        return ok;
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }
}
