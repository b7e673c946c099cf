package org.opentrade.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Ed25519 request signatures (JDK 15+ crypto, nothing to add). The signed message is the UTF-8 of
 * the {@linkplain #stringToSign string to sign}: the timestamp, the method, the path with its query,
 * and the lower-case hex SHA-256 of the body, each on its own line, so no byte can move from one part
 * to another. The signature is canonical base64 only (standard alphabet, padded, unused bits zero),
 * so one signature has one spelling. Public keys are the base64 X.509 (SubjectPublicKeyInfo)
 * encoding, or the raw 32-byte key.
 */
public final class Ed25519Signatures {
    /** The fixed X.509 prefix of every Ed25519 public key (OID 1.3.101.112). */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    /** 64 signature bytes in padded base64. */
    private static final int SIGNATURE_BASE64_LENGTH = 88;

    private Ed25519Signatures() {
    }

    /** Parses a registered public key; empty when it is not an Ed25519 key. */
    public static Optional<PublicKey> parsePublicKey(String base64) {
        if (base64 == null || base64.length() > 200) {
            return Optional.empty();
        }
        try {
            String b64 = base64.strip();
            byte[] raw = b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0
                    ? Base64.getUrlDecoder().decode(b64) : Base64.getDecoder().decode(b64);
            if (raw.length == 32) {
                byte[] x509 = new byte[X509_PREFIX.length + 32];
                System.arraycopy(X509_PREFIX, 0, x509, 0, X509_PREFIX.length);
                System.arraycopy(raw, 0, x509, X509_PREFIX.length, 32);
                raw = x509;
            }
            return Optional.of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(raw)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** The canonical X.509 base64 form of a parsed key, as stored. */
    public static String encode(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * What a client signs: {@code timestamp "\n" METHOD "\n" path-with-query "\n" hex(sha256(body))},
     * the timestamp and path exactly as sent, the body's hash over its raw bytes (of nothing when there
     * is no body).
     */
    public static String stringToSign(String timestamp, String method, String pathWithQuery, byte[] body) {
        return timestamp + '\n' + method + '\n' + pathWithQuery + '\n'
                + HexFormat.of().formatHex(sha256(body == null ? new byte[0] : body));
    }

    /**
     * Whether {@code signatureBase64} is the canonical spelling of a valid signature of
     * {@code stringToSign} by {@code key}.
     */
    public static boolean verify(PublicKey key, String signatureBase64, String stringToSign) {
        Optional<byte[]> sig = canonicalSignature(signatureBase64);
        if (sig.isEmpty()) {
            return false;
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(stringToSign.getBytes(StandardCharsets.UTF_8));
            return s.verify(sig.get());
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * What the replay guard remembers of a verified request: the key and a hash of the signed
     * message, so a request is spent whatever signature bytes carried it (an Ed25519 signature of one
     * message need not be unique).
     */
    public static String replayId(String keyId, String stringToSign) {
        return keyId + ":" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(sha256(stringToSign.getBytes(StandardCharsets.UTF_8)));
    }

    /** The 64 signature bytes, only when {@code b64} is their one canonical base64 spelling. */
    static Optional<byte[]> canonicalSignature(String b64) {
        if (b64 == null || b64.length() != SIGNATURE_BASE64_LENGTH) {
            return Optional.empty();
        }
        try {
            byte[] sig = Base64.getDecoder().decode(b64);
            // The decoder ignores the unused low bits of the last character: re-encoding tells.
            if (sig.length != 64 || !Base64.getEncoder().encodeToString(sig).equals(b64)) {
                return Optional.empty();
            }
            return Optional.of(sig);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
