package org.opentrade.gateway.domain;

import java.math.BigInteger;
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
            if (raw.length != X509_PREFIX.length + 32 || !prefixed(raw) || !strongPoint(raw, X509_PREFIX.length)) {
                return Optional.empty();
            }
            return Optional.of(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(raw)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean prefixed(byte[] x509) {
        for (int i = 0; i < X509_PREFIX.length; i++) {
            if (x509[i] != X509_PREFIX[i]) {
                return false;
            }
        }
        return true;
    }

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger D = BigInteger.valueOf(-121_665).multiply(BigInteger.valueOf(121_666).modInverse(P)).mod(P);
    private static final BigInteger SQRT_M1 = BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);

    /**
     * Whether the 32 bytes at {@code at} encode a point a real private key can have: canonical (y below the
     * field's prime), on the curve, and not of small order. A small-order key (the identity, the 32 zero bytes,
     * the other six of order 2, 4 or 8) verifies a fixed forged signature (R the identity, S 0) for any message,
     * so whoever knows the key id could sign as it; libsodium refuses them the same way.
     */
    static boolean strongPoint(byte[] bytes, int at) {
        byte[] le = new byte[32];
        for (int i = 0; i < 32; i++) {
            le[31 - i] = bytes[at + i]; // little-endian on the wire
        }
        le[0] &= 0x7f; // the sign bit of x
        BigInteger y = new BigInteger(1, le);
        if (y.compareTo(P) >= 0) {
            return false;
        }
        BigInteger yy = y.multiply(y).mod(P);
        BigInteger u = yy.subtract(BigInteger.ONE).mod(P);
        BigInteger v = D.multiply(yy).add(BigInteger.ONE).mod(P);
        // x = u v^3 (u v^7)^((p-5)/8), times sqrt(-1) when that squares to -u / v (RFC 8032 5.1.3).
        BigInteger v3 = v.modPow(BigInteger.valueOf(3), P);
        BigInteger x = u.multiply(v3).multiply(u.multiply(v3).multiply(v3).multiply(v).mod(P)
                .modPow(P.subtract(BigInteger.valueOf(5)).shiftRight(3), P)).mod(P);
        BigInteger vxx = v.multiply(x).multiply(x).mod(P);
        if (!vxx.equals(u)) {
            if (!vxx.equals(u.negate().mod(P))) {
                return false; // not on the curve
            }
            x = x.multiply(SQRT_M1).mod(P);
        }
        // Small order: 8P is the identity (0, 1). The sign of x does not change the order.
        BigInteger[] q = {x, y};
        for (int i = 0; i < 3; i++) {
            q = twice(q[0], q[1]);
        }
        return !(q[0].signum() == 0 && q[1].equals(BigInteger.ONE));
    }

    /** 2(x, y) on -x^2 + y^2 = 1 + d x^2 y^2 (the complete addition law, affine). */
    private static BigInteger[] twice(BigInteger x, BigInteger y) {
        BigInteger xy = x.multiply(y).mod(P);
        BigInteger dxxyy = D.multiply(xy).multiply(xy).mod(P);
        BigInteger x3 = xy.shiftLeft(1).multiply(BigInteger.ONE.add(dxxyy).modInverse(P)).mod(P);
        BigInteger y3 = y.multiply(y).add(x.multiply(x)).multiply(BigInteger.ONE.subtract(dxxyy).mod(P).modInverse(P)).mod(P);
        return new BigInteger[] {x3, y3};
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
