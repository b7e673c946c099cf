package org.opentrade.gateway.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * Ed25519 request signatures (JDK 15+ crypto, nothing to add). The signed message is the UTF-8 of
 * {@code timestamp + METHOD + path-with-query} followed by the raw body bytes; the signature is
 * base64 (standard or url-safe). Public keys are the base64 X.509 (SubjectPublicKeyInfo) encoding,
 * or the raw 32-byte key.
 */
public final class Ed25519Signatures {
    /** The fixed X.509 prefix of every Ed25519 public key (OID 1.3.101.112). */
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519Signatures() {
    }

    /** Parses a registered public key; empty when it is not an Ed25519 key. */
    public static Optional<PublicKey> parsePublicKey(String base64) {
        if (base64 == null || base64.length() > 200) {
            return Optional.empty();
        }
        try {
            byte[] raw = decode(base64.strip());
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

    /** Whether {@code signatureBase64} is a valid signature of the request by {@code key}. */
    public static boolean verify(PublicKey key, String signatureBase64, String timestamp, String method,
                                 String pathWithQuery, byte[] body) {
        if (signatureBase64 == null || signatureBase64.length() > 200) {
            return false;
        }
        try {
            byte[] sig = decode(signatureBase64.strip());
            if (sig.length != 64) {
                return false;
            }
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update((timestamp + method + pathWithQuery).getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                s.update(body);
            }
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static byte[] decode(String b64) {
        return b64.indexOf('-') >= 0 || b64.indexOf('_') >= 0
                ? Base64.getUrlDecoder().decode(b64) : Base64.getDecoder().decode(b64);
    }
}
